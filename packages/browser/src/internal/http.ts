import type { UnpodApiError } from "@unpod/core";
import { errorFromStatus } from "@unpod/core/internal";
import type { FetchLike } from "./runtime.js";

/**
 * Largest body the session reads from the validate endpoint or a token endpoint, in bytes:
 * both answer a few hundred bytes, so anything bigger is not what we asked for.
 */
export const MAX_RESPONSE_BYTES = 64 * 1024;

/** A `GET` answered: status, content type, body text (capped), and the error it stands for. */
export interface Answer {
  /** HTTP status. */
  status: number;
  /** The `Content-Type` header, lower case, without parameters (`""` when absent). */
  contentType: string;
  /** The body as text, at most {@link MAX_RESPONSE_BYTES} bytes of it. */
  body: string;
  /** Whether the body was longer than {@link MAX_RESPONSE_BYTES} and was cut. */
  truncated: boolean;
  /** The error a non-2xx answer stands for (`errorFromStatus`); `undefined` for a success. */
  error: UnpodApiError | undefined;
}

/**
 * Reads at most `limit` bytes of a response body, then cancels the rest of the stream, so a
 * hostile or misconfigured endpoint cannot make the page buffer an unbounded answer.
 */
async function readCapped(res: Response, limit: number): Promise<[text: string, cut: boolean]> {
  const reader = res.body?.getReader();
  if (!reader) {
    // A fetch without body streams (an old polyfill) can only read the whole body.
    const text = await res.text();
    return [text.slice(0, limit), text.length > limit];
  }
  const decoder = new TextDecoder();
  let text = "";
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return [text + decoder.decode(), false];
    bytes += value.byteLength;
    if (bytes > limit) {
      await reader.cancel().catch(() => {});
      return [text + decoder.decode(value.subarray(0, value.byteLength - (bytes - limit))), true];
    }
    text += decoder.decode(value, { stream: true });
  }
}

/** `GET url` without the HTTP cache, under `signal`; see {@link Answer}. */
export async function get(fetch: FetchLike, url: string, signal: AbortSignal): Promise<Answer> {
  const res = await fetch(url, { signal, cache: "no-store" });
  const [body, truncated] = await readCapped(res, MAX_RESPONSE_BYTES);
  const contentType = (res.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
  return {
    status: res.status,
    contentType: contentType ?? "",
    body,
    truncated,
    error: errorFromStatus({
      status: res.status,
      body,
      request: { method: "GET", url },
      headers: res.headers,
    }),
  };
}
