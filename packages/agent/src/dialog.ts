import {
  type Duration,
  MAX_REPLY_TEXT,
  type UnpodArgumentError,
  UnpodConnectionError,
} from "@unpod/core";
import { durationMs, invalidArgument } from "@unpod/core/internal";
import { ABORTED, collectReply } from "./internal/replies.js";
import type { AgentReply } from "./turn.js";

/** Largest request body the handler reads, by default. */
export const DEFAULT_MAX_DIALOG_BODY = 64 * 1024;

/** The `context` Unpod sends with each turn to an HTTP agent endpoint. */
export interface DialogContext {
  /** The call. */
  callId: string | undefined;
  /** The real-time session. */
  sessionId: string | undefined;
  /** 1 for the call's first turn, 2 for the next… */
  turnNumber: number | undefined;
  /** `inbound` or `outbound`. */
  direction: string | undefined;
  /** The caller's number (or, in a web session, their identity). */
  userNumber: string | undefined;
  /** The call's data (metadata). */
  data: Readonly<Record<string, unknown>>;
}

/** One turn, as a {@link DialogHandler} gets it. */
export interface DialogTurn {
  /** What the user said. */
  text: string;
  /** The call it belongs to. */
  context: DialogContext;
  /** Fires when the handler's time is up (its answer would no longer be heard). */
  signal: AbortSignal;
  /** The HTTP request, for headers your deployment needs. */
  request: Request;
}

/**
 * Answers one turn of an HTTP agent endpoint: the same replies as `onTurn` (a string, a
 * promise, a token stream — collected into one text, as the endpoint answers `{"text"}`).
 *
 * @param turn - The text, its context, a `signal`, the request.
 * @returns The reply.
 */
export type DialogHandler = (turn: DialogTurn) => AgentReply | Promise<AgentReply>;

/** Options of {@link createDialogHandler}. */
export interface DialogHandlerOptions {
  /** Time the handler has to answer; past it the answer is 504 and its `signal` fires. @defaultValue 10 seconds */
  timeout?: Duration | undefined;
  /** Largest request body in bytes; larger ones get 413. @defaultValue 64 KiB */
  maxBodyBytes?: number | undefined;
  /**
   * When set, requests must carry `Authorization: Bearer <secret>` (401 otherwise; compared
   * in constant time). Unpod's docs leave the endpoint's authentication open; the dev
   * server sends a pipe's `endpointSecret` this way.
   */
  secret?: string | undefined;
  /**
   * Hears every failure: a bad body ({@link UnpodArgumentError} naming the field, e.g.
   * `body.text`), a timeout ({@link UnpodConnectionError} `timeout`), and your handler's own
   * errors. The response never carries the error's details.
   */
  onError?: ((error: unknown, request: Request) => void) | undefined;
}

function safeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  return diff === 0;
}

function answer(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store", ...headers },
  });
}

function failure(status: number, code: string, message: string, option?: string): Response {
  return answer(status, { error: { code, message, ...(option ? { option } : {}) } });
}

/** Reads at most `max` bytes; `undefined` past that. */
async function readBody(request: Request, max: number): Promise<string | undefined> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > max) return undefined;
  const reader = request.body?.getReader();
  if (!reader) return "";
  const decoder = new TextDecoder();
  let text = "";
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    text += decoder.decode(value, { stream: true });
  }
}

const optional = (value: unknown, is: (v: unknown) => boolean) => value === undefined || is(value);
const isString = (v: unknown) => typeof v === "string";

/** The turn in a request body, checked field by field. */
function parseTurn(body: unknown): { text: string; context: DialogContext } {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw invalidArgument("body", 'must be a JSON object {"text", "context"}');
  }
  const { text, context = {} } = body as { text?: unknown; context?: unknown };
  if (typeof text !== "string" || text.length > MAX_REPLY_TEXT) {
    throw invalidArgument("body.text", `must be a string of at most ${MAX_REPLY_TEXT} characters`);
  }
  if (typeof context !== "object" || context === null || Array.isArray(context)) {
    throw invalidArgument("body.context", "must be an object");
  }
  const c = context as Record<string, unknown>;
  for (const field of ["call_id", "session_id", "direction", "user_number"]) {
    if (!optional(c[field], isString)) {
      throw invalidArgument(`body.context.${field}`, "must be a string");
    }
  }
  if (!optional(c.turn_number, (v) => Number.isSafeInteger(v) && (v as number) >= 0)) {
    throw invalidArgument("body.context.turn_number", "must be a non-negative integer");
  }
  const data = c.data ?? {};
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw invalidArgument("body.context.data", "must be an object");
  }
  return {
    text,
    context: {
      callId: c.call_id as string | undefined,
      sessionId: c.session_id as string | undefined,
      turnNumber: c.turn_number as number | undefined,
      direction: c.direction as string | undefined,
      userNumber: c.user_number as string | undefined,
      data: Object.freeze({ ...(data as Record<string, unknown>) }),
    },
  };
}

/**
 * The HTTP agent-endpoint form of an agent (for a pipe that calls a URL instead of a
 * runner): a Fetch-API handler, `(Request) => Promise<Response>`, so it mounts in Hono,
 * Next.js route handlers, Workers, Bun and Deno alike. Each POST carries one user turn,
 * `{"text", "context": {call_id, session_id, turn_number, direction, user_number, data}}`;
 * the answer is `{"text"}`.
 *
 * Answers: 200 `{"text"}`; 400 for a body that is not such a turn (`{"error": {"code":
 * "invalid_argument", "option": "body.text", …}}`); 401 without the `secret`; 405 for
 * another method; 413 past `maxBodyBytes`; 415 for a body that is not JSON; 500 when the
 * handler throws (no detail leaks); 504 past `timeout`.
 *
 * @param handler - Answers a turn.
 * @param options - Timeout, body limit, shared secret, error listener.
 * @returns The request handler.
 * @throws {@link UnpodArgumentError} naming a bad option.
 * @example
 * ```ts
 * import { createDialogHandler } from "@unpod/agent";
 * import { Hono } from "hono";
 *
 * const dialog = createDialogHandler(({ text, context }) =>
 *   `Turn ${context.turnNumber ?? 1}: you said ${text}.`,
 * );
 * const app = new Hono();
 * app.post("/agent", (c) => dialog(c.req.raw));
 * ```
 */
export function createDialogHandler(
  handler: DialogHandler,
  options: DialogHandlerOptions = {},
): (request: Request) => Promise<Response> {
  if (typeof handler !== "function") throw invalidArgument("handler", "must be a function");
  if (typeof options !== "object" || options === null) {
    throw invalidArgument("options", "must be an object");
  }
  const timeoutMs = durationMs(options.timeout ?? 10, {
    option: "timeout",
    min: 1000,
    max: 600_000,
  });
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_DIALOG_BODY;
  if (!Number.isSafeInteger(maxBody) || maxBody < 1 || maxBody > 16 * 1024 * 1024) {
    throw invalidArgument("maxBodyBytes", "must be an integer from 1 to 16 MiB");
  }
  const secret = options.secret;
  if (
    secret !== undefined &&
    (typeof secret !== "string" || !/^[\x21-\x7e]{1,512}$/.test(secret))
  ) {
    throw invalidArgument("secret", "must be visible ASCII without spaces");
  }
  const onError = options.onError;
  if (onError !== undefined && typeof onError !== "function") {
    throw invalidArgument("onError", "must be a function");
  }
  const report = (error: unknown, request: Request) => {
    try {
      onError?.(error, request);
    } catch {
      // a throwing listener must not turn an answer into a crash
    }
  };

  return async (request: Request): Promise<Response> => {
    if (request.method !== "POST") {
      return answer(
        405,
        { error: { code: "method_not_allowed", message: "POST a turn." } },
        { Allow: "POST" },
      );
    }
    if (secret !== undefined) {
      const given = request.headers.get("authorization") ?? "";
      if (!safeEqual(given, `Bearer ${secret}`)) {
        return failure(401, "unauthorized", "A valid Authorization: Bearer header is required.");
      }
    }
    const type =
      (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
    if (type !== "application/json" && !type.endsWith("+json")) {
      return failure(415, "unsupported_media_type", "The body must be application/json.");
    }
    const raw = await readBody(request, maxBody);
    if (raw === undefined)
      return failure(413, "too_large", `The body is larger than ${maxBody} bytes.`);
    let turn: { text: string; context: DialogContext };
    try {
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch (cause) {
        throw invalidArgument("body", "is not valid JSON", { cause });
      }
      turn = parseTurn(body);
    } catch (error) {
      report(error, request);
      const e = error as UnpodArgumentError;
      return failure(400, e.code, e.message, e.option);
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      controller.abort(
        new UnpodConnectionError(
          "timeout",
          `The agent did not answer within ${timeoutMs / 1000} s.`,
        ),
      );
    }, timeoutMs);
    try {
      const reply = await collectReply(
        Promise.resolve().then(() => handler({ ...turn, signal: controller.signal, request })),
        controller.signal,
        MAX_REPLY_TEXT,
      );
      if (reply === ABORTED) {
        report(controller.signal.reason, request);
        return failure(504, "timeout", `The agent did not answer within ${timeoutMs / 1000} s.`);
      }
      return answer(200, { text: reply });
    } catch (error) {
      report(error, request);
      return failure(500, "agent_error", "The agent failed to answer.");
    } finally {
      clearTimeout(timer);
    }
  };
}
