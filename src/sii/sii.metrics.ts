import { makeCounterProvider } from '@willsoto/nestjs-prometheus';

export const SII_NEWS_TOTAL = 'sii_news_items_total';
export const SII_PAGE_FETCHES_TOTAL = 'sii_page_fetches_total';

export const siiMetricProviders = [
  makeCounterProvider({
    name: SII_NEWS_TOTAL,
    help: 'New SII publications stored, by urgency',
    labelNames: ['urgency'],
  }),
  makeCounterProvider({
    name: SII_PAGE_FETCHES_TOTAL,
    help: 'SII page reads, by outcome (ok, error)',
    labelNames: ['outcome'],
  }),
];
