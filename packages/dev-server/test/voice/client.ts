// A protocol client for the voice tests on a plain `ws` socket: keeps text frames and binary
// audio in one ordered log, so a test can say what came before or after what.
import type { VideoGrant } from "@unpod/core";
import { AccessToken } from "@unpod/node";
import { WebSocket } from "ws";
import type { DevServer } from "../../src/index.js";
import type { Frame } from "../helpers.js";

export type Received = { frame: Frame } | { audio: Uint8Array };

export class VoiceClient {
  readonly ws: WebSocket;
  readonly log: Received[] = [];
  #read = 0;
  #waiters: (() => void)[] = [];
  #seq = 0;
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on("message", (data: Buffer, isBinary: boolean) => {
      this.log.push(
        isBinary ? { audio: new Uint8Array(data) } : { frame: JSON.parse(String(data)) as Frame },
      );
      for (const w of this.#waiters.splice(0)) w();
    });
    this.closed = new Promise((resolve) => {
      ws.on("close", (code, reason) => {
        resolve({ code, reason: String(reason) });
        for (const w of this.#waiters.splice(0)) w();
      });
    });
  }

  static connect(url: string): Promise<VoiceClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      const client = new VoiceClient(ws);
      ws.once("open", () => resolve(client));
      ws.once("error", reject);
    });
  }

  /** Every text frame so far. */
  frames(): Frame[] {
    return this.log.flatMap((r) => ("frame" in r ? [r.frame] : []));
  }

  /** Every binary frame so far. */
  audio(): Uint8Array[] {
    return this.log.flatMap((r) => ("audio" in r ? [r.audio] : []));
  }

  /** Index in the log of the first text frame matching, or -1. */
  indexOf(match: Partial<Frame>): number {
    return this.log.findIndex(
      (r) => "frame" in r && Object.entries(match).every(([k, v]) => r.frame[k] === v),
    );
  }

  /** Waits (real time) until the log satisfies `condition`. */
  async until(condition: () => boolean, what: string, timeout = 3000): Promise<void> {
    const deadline = Date.now() + timeout;
    while (!condition()) {
      const left = deadline - Date.now();
      if (left <= 0 || this.ws.readyState === WebSocket.CLOSED) {
        const seen = this.frames().map((f) => f.type);
        throw new Error(`waiting for ${what}; frames so far: ${seen.join(", ")}`);
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 50));
        this.#waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** The next unread text frame of `type` (skipping others and audio). */
  async next(type: string, timeout = 3000): Promise<Frame> {
    let found: Frame | undefined;
    await this.until(
      () => {
        while (this.#read < this.log.length) {
          const r = this.log[this.#read++] as Received;
          if ("frame" in r && r.frame.type === type) {
            found = r.frame;
            return true;
          }
        }
        return false;
      },
      type,
      timeout,
    );
    return found as Frame;
  }

  /** Sends a client frame with the next client `seq`. */
  sendFrame(frame: Record<string, unknown>): void {
    this.#seq += 1;
    this.ws.send(JSON.stringify({ ...frame, seq: this.#seq }));
  }

  sendAudio(bytes: Uint8Array): void {
    this.ws.send(bytes, { binary: true });
  }

  /** Highest server `seq` received. */
  lastSeq(): number {
    return Math.max(0, ...this.frames().map((f) => f.seq ?? 0));
  }
}

/** A token with any room grant (the helpers' `mint` fixes the grant's fields). */
export function token(server: DevServer, grant: Partial<VideoGrant> = {}, identity = "voice-user") {
  return new AccessToken<string>({
    apiKey: server.credentials.apiKey,
    apiSecret: server.credentials.apiSecret,
    identity,
    ttl: "1h",
  })
    .addGrant({
      roomJoin: true,
      room: "voice-room",
      canPublishData: true,
      canPublish: true,
      ...grant,
    } as never)
    .toJwt();
}

/** Yields to the event loop so sockets deliver what is in flight. */
export function tick(ms = 5): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
