// `Idempotency-Key` on POST and PATCH, as Stripe and the IETF draft
// (draft-ietf-httpapi-idempotency-key-header) describe it: the first answer to a key is
// remembered and replayed to a retry of the same request, flagged `Idempotent-Replayed:
// true`; the same key with another request is 422, and while the first is still running,
// 409. Keys are scoped to the credential that sent them, expire after a TTL, and at most
// `maxKeys` are kept (the oldest are forgotten first).
import { createHash } from "node:crypto";
import type { Clock } from "@unpod/core";
import { readBytes } from "./body.js";
import { fail } from "./envelope.js";

/** The request header that carries the key. */
export const IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";
/** The header a replayed answer carries, with the value `true` (Stripe's name). */
export const REPLAYED_HEADER = "Idempotent-Replayed";
/** Longest key accepted (Stripe's limit). */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

const METHODS: ReadonlySet<string> = new Set(["POST", "PATCH"]);

/** The answer remembered for a key. */
interface Answer {
  status: number;
  headers: [string, string][];
  body: Uint8Array<ArrayBuffer>;
}

interface Entry {
  /** What the request was: a retry must be the same. */
  fingerprint: string;
  expiresAt: number;
  /** `undefined` while the first request is being handled. */
  answer: Answer | undefined;
}

/** Settings of an {@link IdempotencyStore}. */
export interface IdempotencySettings {
  /** How long a key is remembered, from its first request, in ms. */
  ttlMs: number;
  /** Most keys remembered at once. */
  maxKeys: number;
  clock: Clock;
  /** Largest request body read, in bytes. */
  maxBodySize: number;
}

const sha256 = (...parts: (string | Uint8Array)[]): string => {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part).update("\n");
  return hash.digest("hex");
};

/** The keys seen and their answers; `server.reset()` empties it. */
export class IdempotencyStore {
  readonly #settings: IdempotencySettings;
  // Insertion order is age order: the first entry is always the oldest (one TTL for all).
  readonly #entries = new Map<string, Entry>();

  constructor(settings: IdempotencySettings) {
    this.#settings = settings;
  }

  /** Keys remembered now. */
  get size(): number {
    return this.#entries.size;
  }

  /** Forgets every key. */
  clear(): void {
    this.#entries.clear();
  }

  /**
   * Handles one request: a POST or PATCH with a key is answered from the store or sent on
   * (its body read once, within `maxBodySize`) and its answer remembered; anything else is
   * sent on untouched.
   *
   * @param request - The incoming request.
   * @param send - Serves a request for real.
   * @returns The answer.
   */
  async handle(request: Request, send: (request: Request) => Promise<Response>): Promise<Response> {
    const key = request.headers.get(IDEMPOTENCY_KEY_HEADER);
    if (key === null || !METHODS.has(request.method)) return send(request);
    if (key === "" || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
      return fail(
        400,
        `${IDEMPOTENCY_KEY_HEADER} must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters.`,
      );
    }
    const body = await readBytes(request, this.#settings.maxBodySize);
    if (body instanceof Response) return body;
    const { headers } = request;
    const url = new URL(request.url);
    // One credential's keys are not another's: the scope is a hash of the Authorization
    // header (never kept in clear). A replay needs the very credential that made it.
    const id = sha256(headers.get("authorization") ?? "", key);
    const fingerprint = sha256(
      request.method,
      url.pathname + url.search,
      headers.get("org-handle") ?? "",
      headers.get("product-id") ?? "",
      body,
    );
    this.#expire();
    const known = this.#entries.get(id);
    if (known !== undefined) {
      if (known.fingerprint !== fingerprint) {
        return fail(
          422,
          `This ${IDEMPOTENCY_KEY_HEADER} was used with a different request; use a new key for a new request.`,
        );
      }
      if (known.answer === undefined) {
        return fail(409, `A request with this ${IDEMPOTENCY_KEY_HEADER} is still in progress.`);
      }
      return replay(known.answer);
    }
    const entry: Entry = {
      fingerprint,
      expiresAt: this.#settings.clock.now() + this.#settings.ttlMs,
      answer: undefined,
    };
    this.#remember(id, entry);
    let response: Response;
    try {
      response = await send(new Request(request.url, { method: request.method, headers, body }));
    } catch (error) {
      this.#entries.delete(id);
      throw error;
    }
    const answer: Answer = {
      status: response.status,
      headers: [...response.headers],
      body: new Uint8Array(await response.arrayBuffer()),
    };
    // Only an answer that took effect is remembered; after a failure (206, 4xx, 5xx) the
    // key is free again, so a corrected request can use it.
    if (answer.status >= 200 && answer.status < 300 && answer.status !== 206) {
      entry.answer = answer;
    } else {
      this.#entries.delete(id);
    }
    return new Response(answer.body.byteLength === 0 ? null : answer.body, {
      status: answer.status,
      headers: answer.headers,
    });
  }

  #remember(id: string, entry: Entry): void {
    while (this.#entries.size >= this.#settings.maxKeys) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
    this.#entries.set(id, entry);
  }

  #expire(): void {
    const now = this.#settings.clock.now();
    for (const [id, entry] of this.#entries) {
      if (entry.expiresAt > now) break;
      this.#entries.delete(id);
    }
  }
}

function replay(answer: Answer): Response {
  const response = new Response(answer.body.byteLength === 0 ? null : answer.body, {
    status: answer.status,
    headers: answer.headers,
  });
  response.headers.set(REPLAYED_HEADER, "true");
  return response;
}
