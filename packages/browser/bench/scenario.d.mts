export interface SoakResult {
  drops: number;
  reconnects: number;
  sessionId: "same" | "changed";
  replies: { sent: number; received: number; exactlyOnceInOrder: boolean };
  echoes: { sent: number; received: number; exactlyOnceInOrder: boolean };
  ms: number;
}
export function soak(options: {
  UnpodSession: unknown;
  exponentialBackoff: unknown;
  startDevServer: unknown;
  AccessToken: unknown;
  WebSocket: unknown;
  drops: number;
  perDrop?: number;
}): Promise<SoakResult>;
export function percentile(sorted: number[], p: number): number;
