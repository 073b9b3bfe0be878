import type { ApiResponse } from "./apiPromise.js";

/** Paging parameters every list method accepts. */
export interface PageParams {
  /**
   * 1-based page number.
   *
   * @defaultValue 1
   */
  page?: number | undefined;
  /**
   * Items per page (`page_size` on the wire), 1–1000.
   *
   * @defaultValue the server's default (20 on most endpoints)
   */
  pageSize?: number | undefined;
}

/** Fetches the page after this one; supplied by the list call that created the page. */
export type PageFetcher<T> = () => Promise<Page<T>>;

/** The plain shape of a {@link Page}, as `JSON.stringify` writes it. */
export interface PageJSON<T> {
  /** Items of this page. */
  data: T[];
  /** Total number of items across all pages, when the server reports it. */
  count: number | undefined;
  /** This page's number (1-based). */
  page: number;
  /** The page size asked for, when one was. */
  pageSize: number | undefined;
  /** Whether a later page holds more items. */
  hasMore: boolean;
  /** The `X-Request-Id` this page was fetched with. */
  requestId: string | undefined;
}

/**
 * One page of a list, and a way to walk the rest. `for await` over a page yields every
 * item from this page to the last; {@link Page.pages} yields the pages themselves.
 *
 * @example
 * ```ts
 * import { UnpodClient } from "@unpod/node";
 * const client = new UnpodClient();
 * const page = await client.spaces.list({ pageSize: 50 });
 * const { count, data, hasMore } = page;
 * const next = await page.nextPage(); // undefined after the last page
 * ```
 */
export class Page<T> implements AsyncIterable<T> {
  /** Items of this page. */
  readonly data: T[];
  /** Total number of items across all pages, when the server reports it (`count`). */
  readonly count: number | undefined;
  /** This page's number (1-based). */
  readonly page: number;
  /** The page size asked for, when one was. */
  readonly pageSize: number | undefined;
  /** Whether a later page holds more items (from `count`, or a full page when there is none). */
  readonly hasMore: boolean;
  /**
   * The `X-Request-Id` this page was fetched with (each page has its own): quote it in
   * support requests. `undefined` only for a page built by hand.
   */
  readonly requestId: string | undefined;
  readonly #fetch: PageFetcher<T>;

  /**
   * Built by the client; you do not need to construct pages yourself.
   *
   * @param init - The page's items and numbers; `offset` is the number of items before
   *   this page (it follows the server's real page size, which may cap `pageSize`);
   *   `requestId` is the one its request was sent with.
   * @param fetcher - Loads another page of the same list.
   */
  constructor(
    init: {
      data: T[];
      count: number | undefined;
      page: number;
      pageSize: number | undefined;
      offset: number;
      requestId?: string | undefined;
    },
    fetcher: PageFetcher<T>,
  ) {
    this.data = init.data;
    this.count = init.count;
    this.page = init.page;
    this.pageSize = init.pageSize;
    this.requestId = init.requestId;
    this.#fetch = fetcher;
    const n = init.data.length;
    if (n === 0) {
      this.hasMore = false;
    } else if (init.count !== undefined) {
      this.hasMore = init.offset + n < init.count;
    } else {
      // No count: a full page suggests more; an empty next page ends the walk.
      this.hasMore = init.pageSize !== undefined && n >= init.pageSize;
    }
  }

  /**
   * Loads the next page.
   *
   * @returns The next page, or `undefined` when this is the last one.
   * @throws The same errors as the list call that produced this page.
   */
  nextPage(): Promise<Page<T> | undefined> {
    return this.hasMore ? this.#fetch() : Promise.resolve(undefined);
  }

  /**
   * Walks the pages from this one to the last, one request per page.
   *
   * @returns An async iterator of pages.
   * @example
   * ```ts
   * import { UnpodClient } from "@unpod/node";
   * const client = new UnpodClient();
   * const sizes: number[] = [];
   * for await (const page of (await client.spaces.list()).pages()) sizes.push(page.data.length);
   * ```
   */
  async *pages(): AsyncGenerator<Page<T>, void, undefined> {
    let current: Page<T> | undefined = this;
    while (current !== undefined) {
      yield current;
      current = await current.nextPage();
    }
  }

  /**
   * Iterates every item from this page to the last, loading pages as needed.
   *
   * @returns An async iterator of items.
   */
  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const page of this.pages()) yield* page.data;
  }

  /**
   * The page as plain data.
   *
   * @returns `data`, `count`, `page`, `pageSize`, `hasMore` and `requestId`.
   */
  toJSON(): PageJSON<T> {
    return {
      data: this.data,
      count: this.count,
      page: this.page,
      pageSize: this.pageSize,
      hasMore: this.hasMore,
      requestId: this.requestId,
    };
  }
}

/**
 * What every `list()` returns: `await` it for the first page (a {@link Page}), or iterate
 * it with `for await` to get every item of every page; {@link PagePromise.withResponse}
 * gives the first page with the request id, status and headers of its answer. Nothing is
 * sent until you do one of these; doing several sends one request.
 *
 * @example
 * ```ts
 * import { UnpodClient } from "@unpod/node";
 * const client = new UnpodClient();
 * const first = await client.spaces.list({ page: 1, pageSize: 20 }); // one page
 * const names: string[] = [];
 * for await (const space of client.spaces.list()) names.push(space.name); // all pages
 * ```
 */
export class PagePromise<T> implements PromiseLike<Page<T>>, AsyncIterable<T> {
  readonly #first: () => Promise<ApiResponse<Page<T>>>;
  #answer: Promise<ApiResponse<Page<T>>> | undefined;
  #page: Promise<Page<T>> | undefined;

  /**
   * Built by the client.
   *
   * @param first - Loads the first page asked for, with its answer's details.
   */
  constructor(first: () => Promise<ApiResponse<Page<T>>>) {
    this.#first = first;
  }

  /**
   * The first page together with the request id, status and headers of its answer.
   *
   * @returns The {@link ApiResponse} whose `data` is the page.
   * @throws The same errors as awaiting the list.
   * @example
   * ```ts
   * import { UnpodClient } from "@unpod/node";
   * const client = new UnpodClient({ orgHandle: "acme" });
   * const { data: page, status, headers } = await client.spaces.list().withResponse();
   * ```
   */
  withResponse(): Promise<ApiResponse<Page<T>>> {
    this.#answer ??= this.#first();
    return this.#answer;
  }

  #load(): Promise<Page<T>> {
    this.#page ??= this.withResponse().then((answer) => answer.data);
    return this.#page;
  }

  /**
   * Loads the page (once) and continues like `Promise.prototype.then`.
   *
   * @param onfulfilled - Receives the page.
   * @param onrejected - Receives the error.
   * @returns A promise of the callback's result.
   */
  // biome-ignore lint/suspicious/noThenProperty: this object is deliberately awaitable.
  then<R1 = Page<T>, R2 = never>(
    onfulfilled?: ((page: Page<T>) => R1 | PromiseLike<R1>) | null,
    // biome-ignore lint/suspicious/noExplicitAny: as Promise's own typing (see ApiPromise).
    onrejected?: ((reason: any) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#load().then(onfulfilled, onrejected);
  }

  /**
   * Like `Promise.prototype.catch`.
   *
   * @param onrejected - Receives the error.
   * @returns A promise of the page or the callback's result.
   */
  catch<R = never>(
    // biome-ignore lint/suspicious/noExplicitAny: as Promise's own typing (see ApiPromise).
    onrejected?: ((reason: any) => R | PromiseLike<R>) | null,
  ): Promise<Page<T> | R> {
    return this.#load().catch(onrejected);
  }

  /**
   * Like `Promise.prototype.finally`.
   *
   * @param onfinally - Runs when the page has loaded or failed.
   * @returns A promise of the page.
   */
  finally(onfinally?: (() => void) | null): Promise<Page<T>> {
    return this.#load().finally(onfinally);
  }

  /**
   * Walks every page, starting with the first one asked for.
   *
   * @returns An async iterator of pages.
   */
  async *pages(): AsyncGenerator<Page<T>, void, undefined> {
    yield* (await this.#load()).pages();
  }

  /**
   * Iterates every item of every page.
   *
   * @returns An async iterator of items.
   */
  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    yield* await this.#load();
  }

  /** Tag shown by `Object.prototype.toString` and `util.inspect`. */
  get [Symbol.toStringTag](): string {
    return "PagePromise";
  }
}
