/** The Redis key layout the contract fixes (operators scan `chat:session:*`). */
export const historyKey = (sessionId: string) => `chat:session:${sessionId}:history`;
export const contextKey = (sessionId: string) => `chat:session:${sessionId}:context`;
