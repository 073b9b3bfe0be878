// Reading a response body within limits: ky reads bodies whole, with no size limit.
//
// A success (2xx) may be up to `maxBytes` long; a longer one is refused (`BodyTooLarge`),
// as soon as `Content-Length` says so or, without one, as soon as that many bytes have
// arrived, so memory stays bounded whatever the server sends. A failure's body only feeds
// the error: its first `MAX_FAILURE_BYTES` are kept and the rest is not read.
import { MAX_ERROR_BODY } from "@unpod/core/internal";

/** Default largest success body: 32 MiB. */
export const DEFAULT_MAX_RESPONSE_SIZE = 32 * 1024 * 1024;
/** Enough bytes for the part of a failure's body that an error parses (UTF-8: ≤ 4 per character). */
export const MAX_FAILURE_BYTES = 4 * MAX_ERROR_BODY;

/** A success body larger than the limit; carries what the error needs. */
export class BodyTooLarge extends Error {
  override readonly name = "BodyTooLarge";
  /**
   * @param status - The HTTP status of the answer.
   * @param maxBytes - The limit that was passed.
   * @param headers - The answer's headers.
   */
  constructor(
    readonly status: number,
    readonly maxBytes: number,
    readonly headers: Headers,
  ) {
    super(`The response body is larger than ${maxBytes} bytes`);
  }
}

const ignore = (): void => {};

/**
 * Reads `response`'s body as UTF-8, within the limits above. Stops (cancelling the stream)
 * when `signal` aborts, rejecting with its reason.
 *
 * @throws {@link BodyTooLarge} for a success body over `maxBytes`; the stream's own error
 *   (a network failure mid-body) or the signal's reason otherwise.
 */
export async function readBody(
  response: Response,
  maxBytes: number,
  signal: AbortSignal,
): Promise<string> {
  const stream = response.body;
  if (stream === null) return "";
  const success = response.ok;
  const limit = success ? maxBytes : Math.min(maxBytes, MAX_FAILURE_BYTES);
  const { headers } = response;
  const declared = Number(headers.get("content-length") ?? Number.NaN);
  if (success && declared > limit) {
    stream.cancel().catch(ignore);
    throw new BodyTooLarge(response.status, limit, headers);
  }
  // The common case: an uncompressed body whose length is declared and within the limit
  // (the HTTP parser reads no more than declared; a compressed one may inflate past it).
  const encoding = headers.get("content-encoding");
  if (declared <= limit && (encoding === null || encoding === "identity")) {
    return response.text();
  }
  const reader = stream.getReader();
  const stop = (): void => {
    reader.cancel(signal.reason).catch(ignore);
  };
  signal.addEventListener("abort", stop, { once: true });
  try {
    const decoder = new TextDecoder();
    let text = "";
    let bytes = 0;
    for (;;) {
      const { done, value } = await reader.read();
      signal.throwIfAborted();
      if (done) return text + decoder.decode();
      bytes += value.byteLength;
      if (bytes > limit) {
        reader.cancel().catch(ignore);
        if (success) throw new BodyTooLarge(response.status, limit, headers);
        // A failure's body: what fits is enough for the error.
        return text + decoder.decode(value.subarray(0, value.byteLength - (bytes - limit)));
      }
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    signal.removeEventListener("abort", stop);
  }
}
