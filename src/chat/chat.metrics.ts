import { makeCounterProvider, makeHistogramProvider } from '@willsoto/nestjs-prometheus';

export const CHAT_MESSAGES_TOTAL = 'chat_messages_total';
export const CHAT_RESPONSE_DURATION = 'chat_response_duration_seconds';

export const chatMetricProviders = [
  makeCounterProvider({ name: CHAT_MESSAGES_TOTAL, help: 'Total chat messages processed', labelNames: ['llm'] }),
  makeHistogramProvider({
    name: CHAT_RESPONSE_DURATION,
    help: 'Chat response duration',
    buckets: [0.25, 0.5, 1, 2, 5, 10, 20, 30, 60],
  }),
];
