import type { UnpodArgumentError } from "@unpod/core";
import { invalidArgument } from "@unpod/core/internal";

/** What {@link unlessAborted} resolves to when the signal fired first. */
export const ABORTED: unique symbol = Symbol("aborted");

/**
 * Resolves with `promise`'s value, or {@link ABORTED} as soon as `signal` fires. A
 * rejection after the abort is swallowed (it is the aborted work's own error).
 */
export function unlessAborted<T>(
  promise: PromiseLike<T>,
  signal: AbortSignal,
): Promise<T | typeof ABORTED> {
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(ABORTED);
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
    Promise.resolve(promise).then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        if (signal.aborted) resolve(ABORTED);
        else reject(error);
      },
    );
  });
}

/** The chunks of a reply, as one shape (an async iterator or a stream reader). */
export interface ChunkSource {
  next(): Promise<IteratorResult<unknown>>;
  stop(): void;
}

function isReadableStream(value: object): value is ReadableStream<unknown> {
  return typeof (value as { getReader?: unknown }).getReader === "function";
}

/** Chunks of a reply, or `undefined` when `value` is neither an async iterable nor a stream. */
export function chunksOf(value: object): ChunkSource | undefined {
  if (isReadableStream(value)) {
    const reader = value.getReader();
    return {
      next: () => reader.read() as Promise<IteratorResult<unknown>>,
      stop: () => void reader.cancel().catch(() => {}),
    };
  }
  const iterable = value as Partial<AsyncIterable<unknown>>;
  if (typeof iterable[Symbol.asyncIterator] !== "function") return undefined;
  const iterator = (iterable as AsyncIterable<unknown>)[Symbol.asyncIterator]();
  return {
    next: () => iterator.next(),
    // An async generator busy in an `await` returns only after it; never wait for it.
    stop: () => void iterator.return?.()?.then(undefined, () => {}),
  };
}

/**
 * Collects a whole reply as one text (for the HTTP agent endpoint, which answers `{text}`).
 *
 * @returns The text, or {@link ABORTED} when `signal` fired first.
 * @throws {@link UnpodArgumentError} `reply` for a chunk that is not a string, a reply of
 *   another kind, or one longer than `maxChars`; the reply's own error otherwise.
 */
export async function collectReply(
  reply: unknown,
  signal: AbortSignal,
  maxChars: number,
): Promise<string | typeof ABORTED> {
  const value = await unlessAborted(reply as PromiseLike<unknown>, signal);
  if (value === ABORTED) return ABORTED;
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return checkLength(value, maxChars);
  const source = typeof value === "object" ? chunksOf(value) : undefined;
  if (!source) throw notAReply();
  let text = "";
  try {
    for (;;) {
      const next = source.next();
      next.catch(() => {});
      const step = await unlessAborted(next, signal);
      if (step === ABORTED) return ABORTED;
      if (step.done) return text;
      if (typeof step.value !== "string") {
        throw invalidArgument("reply", `yielded a ${typeof step.value}, not a string`);
      }
      text = checkLength(text + step.value, maxChars);
    }
  } finally {
    if (signal.aborted) source.stop();
  }
}

function checkLength(text: string, maxChars: number): string {
  if (text.length > maxChars) {
    throw invalidArgument("reply", `is longer than ${maxChars} characters`);
  }
  return text;
}

/** The error for a value that is no reply. */
export function notAReply(): UnpodArgumentError {
  return invalidArgument(
    "reply",
    "must be a string, an AsyncIterable<string>, a ReadableStream<string>, a promise of one, or nothing",
  );
}
