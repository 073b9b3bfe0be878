import { clip, redact } from "./internal/redact.js";
import { type HeaderSource, keptHeaders, type ResponseHeaders } from "./responseHeaders.js";

/**
 * Every stable error code the SDK produces. Branch on `error.code`, never on the message.
 *
 * | code | meaning |
 * |---|---|
 * | `bad_request` | HTTP 400 (or another 4xx the platform does not name) |
 * | `missing_header` | a required header (Org-Handle, Product-ID) is missing — caught before sending, or the server's 400 |
 * | `unauthorized` | HTTP 401: no API token, or an unknown one |
 * | `forbidden` | HTTP 403: access denied |
 * | `token_expired` | an access token's `exp` has passed (locally, or the server's 403 `Token has expired.`) |
 * | `token_not_yet_valid` | an access token's `nbf` is in the future |
 * | `invalid_token` | an access token is malformed, forged, or signed by an unknown key |
 * | `not_found` | HTTP 404 |
 * | `rate_limited` | HTTP 429; see `retryAfter` |
 * | `business_error` | HTTP 206: the platform's way of reporting a failed operation |
 * | `server_error` | HTTP 5xx |
 * | `http_error` | any other unexpected HTTP status, or a success whose body is not the platform's envelope |
 * | `response_too_large` | an answer's body is larger than the client accepts (`maxResponseSize`) |
 * | `network_error` | the request or socket never got an answer |
 * | `timeout` | a deadline passed |
 * | `aborted` | the caller's `AbortSignal` fired |
 * | `invalid_argument` | an option given to the SDK is wrong; see `option` |
 * | `protocol_error` | a real-time frame broke the wire protocol |
 * | `session_not_found` | a resume was refused because the session is gone |
 * | `session_replaced` | another socket took over this session |
 * | `permission_denied` | the token's grant does not allow what was asked (sending text, or — as an `UnpodAudioError` — sending audio) |
 * | `buffer_full` | too many client frames wait for the server's confirmation (a connection that does not recover) |
 * | `audio_not_supported` | this browser (or an insecure page) has no microphone capture or AudioWorklet |
 * | `microphone_denied` | the user or the page's permissions policy refused the microphone |
 * | `microphone_unavailable` | no microphone, or it is in use by another program |
 * | `audio_unavailable` | the server did not grant audio (a text-only server); the session stays text-only |
 * | `audio_failed` | audio could not start or stopped working (the audio context failed, the worklet did not load) |
 */
export type UnpodErrorCode =
  | "bad_request"
  | "missing_header"
  | "unauthorized"
  | "forbidden"
  | "token_expired"
  | "token_not_yet_valid"
  | "invalid_token"
  | "not_found"
  | "rate_limited"
  | "business_error"
  | "server_error"
  | "http_error"
  | "response_too_large"
  | "network_error"
  | "timeout"
  | "aborted"
  | "invalid_argument"
  | "protocol_error"
  | "session_not_found"
  | "session_replaced"
  | "permission_denied"
  | "buffer_full"
  | "audio_not_supported"
  | "microphone_denied"
  | "microphone_unavailable"
  | "audio_unavailable"
  | "audio_failed";

/** Codes carried by {@link UnpodAudioError}. */
export type AudioErrorCode =
  | "audio_not_supported"
  | "permission_denied"
  | "microphone_denied"
  | "microphone_unavailable"
  | "audio_unavailable"
  | "audio_failed";

/** Codes carried by {@link UnpodApiError}. */
export type ApiErrorCode =
  | "bad_request"
  | "missing_header"
  | "unauthorized"
  | "forbidden"
  | "token_expired"
  | "not_found"
  | "rate_limited"
  | "business_error"
  | "server_error"
  | "http_error"
  | "response_too_large";

/** Codes carried by {@link UnpodTokenError}. */
export type TokenErrorCode = "invalid_token" | "token_expired" | "token_not_yet_valid";

/** Codes carried by {@link UnpodConnectionError}. */
export type ConnectionErrorCode = "network_error" | "timeout" | "aborted";

/** Codes carried by {@link UnpodArgumentError}. */
export type ArgumentErrorCode = "invalid_argument" | "missing_header";

/** Codes carried by {@link UnpodSessionError}. */
export type SessionErrorCode =
  | "protocol_error"
  | "session_not_found"
  | "session_replaced"
  | "permission_denied"
  | "buffer_full"
  | "unauthorized"
  | "forbidden";

/** Options shared by every error constructor. */
export interface UnpodErrorOptions {
  /** The error this one wraps. */
  cause?: unknown;
}

/**
 * Base class of every error the SDK throws. Carries a stable {@link UnpodErrorCode}.
 * Messages are scrubbed of anything that looks like a credential before they are stored.
 *
 * @example
 * ```ts
 * import { isUnpodError } from "@unpod/core";
 * try {
 *   // ...
 * } catch (error) {
 *   if (isUnpodError(error) && error.code === "token_expired") {
 *     // fetch a fresh token
 *   }
 * }
 * ```
 */
export class UnpodError<C extends UnpodErrorCode = UnpodErrorCode> extends Error {
  /** Stable machine-readable code. */
  declare readonly code: C;
  /** Literal class name (`"UnpodError"`, `"UnpodApiError"`, …): what the guards check across bundles. */
  override readonly name: string = "UnpodError";

  /**
   * @param code - The stable error code.
   * @param message - A human-readable explanation; credentials in it are redacted.
   * @param options - `cause`: the wrapped error.
   */
  constructor(code: C, message: string, options?: UnpodErrorOptions) {
    // Error reads only `cause` from its options; without one, no `cause` property is made.
    super(redact(message), options?.cause === undefined ? undefined : options);
    this.code = code;
  }

  /**
   * A plain, credential-free object for logs and `JSON.stringify` (the `cause` is left out:
   * it is not ours to vouch for).
   *
   * @returns `name`, `code`, `message` and the subclass's public fields.
   */
  toJSON(): Record<string, unknown> {
    // `message` is not enumerable; the own enumerable fields are `code`, `name` and the
    // subclass's public fields.
    const { cause: _, ...fields } = this as Record<string, unknown>;
    return { name: this.name, code: this.code, message: this.message, ...fields };
  }
}

/**
 * What {@link UnpodApiError} knows about the request that failed. (Not `RequestInfo`, which
 * is the DOM's name for what `fetch` takes.)
 */
export interface ApiRequestInfo {
  /** HTTP method, upper case. */
  method: string;
  /** The URL; credentials in its query string are redacted before it is stored. */
  url: string;
  /** The `X-Request-Id` sent, if any. */
  requestId?: string | undefined;
}

/** Longest raw body an {@link UnpodApiError} keeps, in characters. */
export const MAX_KEPT_BODY = 2048;

/** Fields of an {@link UnpodApiError}. */
export interface ApiErrorFields extends UnpodErrorOptions {
  /** HTTP status (0 when none). */
  status: number;
  /** The request that failed. */
  request: ApiRequestInfo;
  /** The envelope's `data`, if any. */
  data?: unknown;
  /** The envelope's `errors`, if any. */
  errors?: unknown;
  /** The raw body, when it was not a JSON envelope; kept capped to {@link MAX_KEPT_BODY} characters. */
  body?: string | undefined;
  /** Seconds to wait before retrying (429 / 503 with `Retry-After`). */
  retryAfter?: number | undefined;
  /** The response's headers (a `Headers` object or a plain one); see {@link ResponseHeaders} for what is kept. */
  headers?: HeaderSource | undefined;
}

/**
 * An HTTP call to the Unpod API did not succeed — including HTTP 206, which the platform
 * uses for business failures, and a 2xx whose envelope reports an error.
 */
export class UnpodApiError extends UnpodError<ApiErrorCode> {
  /** Always `"UnpodApiError"`. */
  override readonly name = "UnpodApiError" as const;
  /** HTTP status (the envelope's `status_code` when a 2xx answer carried an error). */
  declare readonly status: number;
  /** HTTP method of the failed request. */
  declare readonly method: string;
  /** URL of the failed request (credentials redacted). */
  declare readonly url: string;
  /** `X-Request-Id` of the failed request. */
  declare readonly requestId: string | undefined;
  /** The envelope's `data`. */
  declare readonly data: unknown;
  /** The envelope's `errors` (field → messages). */
  declare readonly errors: unknown;
  /**
   * The raw body when it was not a JSON envelope: at most {@link MAX_KEPT_BODY} characters
   * (cut between words), credentials redacted.
   */
  declare readonly body: string | undefined;
  /** Seconds the server asked us to wait, from `Retry-After`. */
  declare readonly retryAfter: number | undefined;
  /**
   * The response's headers, lower-case names (`{}` when there was no response): rate-limit
   * counters, a gateway's trace id. Response headers only, without cookies; see
   * {@link ResponseHeaders} for exactly what is kept.
   */
  declare readonly headers: ResponseHeaders;

  /**
   * @param code - The stable error code.
   * @param message - The server's message, or a description.
   * @param fields - Status, request and body details.
   */
  constructor(code: ApiErrorCode, message: string, fields: ApiErrorFields) {
    super(code, message, fields);
    const { request: r, body } = fields;
    Object.assign(this, {
      status: fields.status,
      method: r.method,
      url: redact(r.url),
      requestId: r.requestId,
      data: fields.data,
      errors: fields.errors,
      body: body && redact(clip(body, MAX_KEPT_BODY)),
      retryAfter: fields.retryAfter,
      headers: keptHeaders(fields.headers),
    });
  }
}

/** Fields of an {@link UnpodTokenError}. */
export interface TokenErrorFields extends UnpodErrorOptions {
  /** Which claim was at fault (`exp`, `nbf`, `iss`, …), if one was. */
  claim?: string | undefined;
  /** A short machine-readable reason, e.g. `bad_signature`, `unknown_key`, `malformed`. */
  reason: string;
}

/** An access token was malformed, forged, expired or not yet valid. */
export class UnpodTokenError extends UnpodError<TokenErrorCode> {
  /** Always `"UnpodTokenError"`. */
  override readonly name = "UnpodTokenError" as const;
  /** The claim at fault. */
  declare readonly claim: string | undefined;
  /**
   * Short machine-readable reason. {@link @unpod/core!decodeToken | decodeToken} uses `malformed`, `too_large`,
   * `missing_claim` and `claim_type`; verifiers add their own (`bad_signature`, …).
   */
  declare readonly reason: string;

  /**
   * @param code - The stable error code.
   * @param message - A description.
   * @param fields - `reason`, `claim`, `cause`.
   */
  constructor(code: TokenErrorCode, message: string, fields: TokenErrorFields) {
    super(code, message, fields);
    this.claim = fields.claim;
    this.reason = fields.reason;
  }
}

/** A request or socket failed before any answer, timed out, or was aborted by the caller. */
export class UnpodConnectionError extends UnpodError<ConnectionErrorCode> {
  /** Always `"UnpodConnectionError"`. */
  override readonly name = "UnpodConnectionError" as const;
}

/** Fields of an {@link UnpodArgumentError}. */
export interface ArgumentErrorFields extends UnpodErrorOptions {
  /** The option or argument at fault, e.g. `ttl` or `orgHandle`. */
  option: string;
}

/** An option or argument given to the SDK is invalid; `option` names it. */
export class UnpodArgumentError extends UnpodError<ArgumentErrorCode> {
  /** Always `"UnpodArgumentError"`. */
  override readonly name = "UnpodArgumentError" as const;
  /** The option or argument at fault, e.g. `ttl` or `orgHandle`. */
  declare readonly option: string;

  /**
   * The family's order, as every error class: code, message, then the fields.
   *
   * @param code - `invalid_argument` or `missing_header`.
   * @param message - What is wrong with the option; the message reads `<option>: <message>`.
   * @param fields - `option` (which one), and `cause`.
   * @example
   * ```ts
   * import { UnpodArgumentError } from "@unpod/core";
   * const error = new UnpodArgumentError("invalid_argument", "must be positive", { option: "ttl" });
   * console.log(error.message); // "ttl: must be positive"
   * ```
   */
  constructor(code: ArgumentErrorCode, message: string, fields: ArgumentErrorFields) {
    super(code, `${fields.option}: ${message}`, fields);
    this.option = fields.option;
  }
}

/** Options of an {@link UnpodSessionError}. */
export interface SessionErrorFields extends UnpodErrorOptions {
  /** WebSocket close code, when the error came from a close. */
  closeCode?: number | undefined;
  /**
   * Short machine-readable detail. The frame parsers use `not_text`, `too_large`,
   * `bad_json`, `bad_frame` and `unknown_type`, so a server can answer with the matching
   * `error` frame code.
   */
  reason?: string | undefined;
}

/** A real-time session failed: a bad frame, a refused resume, a replaced socket, a denied action. */
export class UnpodSessionError extends UnpodError<SessionErrorCode> {
  /** Always `"UnpodSessionError"`. */
  override readonly name = "UnpodSessionError" as const;
  /** WebSocket close code, when the error came from a close. */
  declare readonly closeCode: number | undefined;
  /** Short machine-readable detail (see {@link SessionErrorFields.reason}). */
  declare readonly reason: string | undefined;

  /**
   * @param code - The stable error code.
   * @param message - A description.
   * @param options - `cause`, the WebSocket `closeCode` and a `reason`.
   */
  constructor(code: SessionErrorCode, message: string, options?: SessionErrorFields) {
    super(code, message, options);
    this.closeCode = options?.closeCode;
    this.reason = options?.reason;
  }
}

/**
 * Voice could not start or stopped working: no support in this browser, the microphone
 * refused or missing, a server without audio, an audio context that failed. The text
 * session is not affected.
 */
export class UnpodAudioError extends UnpodError<AudioErrorCode> {
  /** Always `"UnpodAudioError"`. */
  override readonly name = "UnpodAudioError" as const;
}

// Any `Unpod…Error`, so an error class added by a newer copy of the SDK is still recognised.
const NAME = /^Unpod\w*Error$/;

/**
 * True for any SDK error, even one thrown by another copy of the SDK (another bundle or
 * realm): it checks `name` and `code`, not `instanceof`.
 *
 * @param value - Anything caught.
 * @returns Whether `value` is an {@link UnpodError}.
 */
export function isUnpodError(value: unknown): value is UnpodError {
  const name = (value as Error | null | undefined)?.name;
  return (
    typeof name === "string" && NAME.test(name) && typeof (value as UnpodError).code === "string"
  );
}
