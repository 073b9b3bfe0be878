import type { ResponseHeaders } from "@unpod/core";

/**
 * A call's data with what the response said about it, from `withResponse()`.
 *
 * @typeParam T - The type of the data.
 */
export interface ApiResponse<T> {
  /** What awaiting the call gives: the envelope's `data` (a {@link Page} for a list). */
  data: T;
  /**
   * The `X-Request-Id` the call was sent with (the same on every retry of the call): quote
   * it in support requests; an {@link UnpodApiError} carries the same field.
   */
  requestId: string;
  /** HTTP status of the answer (200, 201, 204…). */
  status: number;
  /**
   * The answer's headers, lower-case names — `idempotent-replayed: true` when the server
   * answered a retried POST from its idempotency store, rate-limit counters, a gateway's
   * trace id. Response headers only, without `set-cookie` (see `ResponseHeaders` in
   * `@unpod/core` for exactly what is kept).
   */
  headers: ResponseHeaders;
}

/**
 * What every call of {@link UnpodClient} returns that is not a list: a `Promise` of the
 * data, which also gives the response's details with {@link ApiPromise.withResponse}.
 * The request is sent at once, as with any promise; awaiting it and `withResponse()` share
 * that one request.
 *
 * @typeParam T - The type of the data.
 * @example
 * ```ts
 * import { UnpodClient } from "@unpod/node";
 * const client = new UnpodClient({ orgHandle: "acme" });
 * const space = await client.spaces.retrieve("space-token"); // the data
 * const { data, requestId, status, headers } = await client.spaces
 *   .retrieve("space-token")
 *   .withResponse();
 * console.log(requestId, status, headers["x-ratelimit-remaining"], data.name);
 * ```
 */
export class ApiPromise<T> extends Promise<T> {
  readonly #response: Promise<ApiResponse<T>>;
  #data: Promise<T> | undefined;

  /**
   * Built by the client.
   *
   * @param response - The call in flight, resolving to the data and the response's details.
   */
  constructor(response: Promise<ApiResponse<T>>) {
    // The promise machinery of this object is never used: `then`, `catch` and `finally`
    // are answered from `response` (as openai-node's APIPromise does), so a failed call is
    // reported once, to whoever awaits it.
    super((resolve) => resolve(undefined as T));
    this.#response = response;
  }

  /** Derived promises (`then`, `catch`, `finally`) are plain `Promise`s. */
  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }

  /**
   * The data together with the request id, status and headers of the answer.
   *
   * @returns The call's {@link ApiResponse}.
   * @throws The same errors as awaiting the call.
   */
  withResponse(): Promise<ApiResponse<T>> {
    return this.#response;
  }

  #load(): Promise<T> {
    this.#data ??= this.#response.then((answer) => answer.data);
    return this.#data;
  }

  /**
   * Continues with the data, like `Promise.prototype.then`.
   *
   * @param onfulfilled - Receives the data.
   * @param onrejected - Receives the error.
   * @returns A promise of the callback's result.
   */
  // biome-ignore lint/suspicious/noThenProperty: this object is a promise.
  override then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    // biome-ignore lint/suspicious/noExplicitAny: as Promise's own typing, so `.catch((e: UnpodError) => …)` compiles for an ApiPromise as for any promise.
    onrejected?: ((reason: any) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#load().then(onfulfilled, onrejected);
  }

  /**
   * Like `Promise.prototype.catch`.
   *
   * @param onrejected - Receives the error.
   * @returns A promise of the data or the callback's result.
   */
  override catch<R = never>(
    // biome-ignore lint/suspicious/noExplicitAny: as Promise's own typing (see `then`).
    onrejected?: ((reason: any) => R | PromiseLike<R>) | null,
  ): Promise<T | R> {
    return this.#load().catch(onrejected);
  }

  /**
   * Like `Promise.prototype.finally`.
   *
   * @param onfinally - Runs when the call has succeeded or failed.
   * @returns A promise of the data.
   */
  override finally(onfinally?: (() => void) | null): Promise<T> {
    return this.#load().finally(onfinally);
  }
}
