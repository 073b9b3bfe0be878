// Lists: one page with its numbers, and async iteration over all pages — including a
// server that caps page_size and one that sends no count.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Page, PagePromise } from "../src/index.js";
import {
  client,
  ok,
  rejection,
  scanForTokenAfterAll,
  startServer,
  type TestServer,
} from "./clientHarness.js";

scanForTokenAfterAll();

const ITEMS = Array.from({ length: 45 }, (_, i) => ({ id: i + 1 }));
let withCount: TestServer;
let withoutCount: TestServer;

// Pages like the platform: 1-based, default size 20, size capped at 20 here.
function pageOf(url: string) {
  const q = new URL(url, "http://x").searchParams;
  const page = Number(q.get("page") ?? 1) || 1;
  const size = Math.min(Number(q.get("page_size") ?? 0) || 20, 20);
  return ITEMS.slice((page - 1) * size, page * size);
}

beforeAll(async () => {
  withCount = await startServer((req) => ok(pageOf(req.url), { count: ITEMS.length }));
  withoutCount = await startServer((req) => ok(pageOf(req.url)));
});
afterAll(async () => {
  await withCount.close();
  await withoutCount.close();
});

describe("one page", () => {
  test("await list() → data, count, page, pageSize, hasMore, requestId", async () => {
    withCount.received.length = 0;
    const page = await client(withCount).spaces.list({ page: 2, pageSize: 10 });
    expect(page).toBeInstanceOf(Page);
    const requestId = withCount.received[0]?.headers["x-request-id"];
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(page.toJSON()).toEqual({
      data: ITEMS.slice(10, 20),
      count: 45,
      page: 2,
      pageSize: 10,
      hasMore: true,
      requestId,
    });
    expect(withCount.received[0]?.url).toBe("/api/v2/platform/spaces/?page=2&page_size=10");
    const last = await client(withCount).spaces.list({ page: 5, pageSize: 10 });
    expect(last.data).toHaveLength(5);
    expect(last.hasMore).toBe(false);
    expect(await last.nextPage()).toBeUndefined();
  });

  test("nextPage() walks on; a page past the end is empty and final", async () => {
    const first = await client(withCount).agents.list({ pageSize: 20 });
    const second = await first.nextPage();
    expect(second?.page).toBe(2);
    expect(second?.data[0]).toEqual({ id: 21 });
    const beyond = await client(withCount).agents.list({ page: 9, pageSize: 20 });
    expect(beyond.data).toEqual([]);
    expect(beyond.hasMore).toBe(false);
  });

  test("nothing is sent until awaited or iterated; awaiting twice sends once", async () => {
    withCount.received.length = 0;
    const list = client(withCount).telephony.numbers.list();
    expect(list).toBeInstanceOf(PagePromise);
    await new Promise((r) => setTimeout(r, 20));
    expect(withCount.received).toHaveLength(0);
    const [a, b] = await Promise.all([list, list]);
    expect(a).toBe(b);
    expect(withCount.received).toHaveLength(1);
  });

  test("bad paging parameters reject, naming the option, and send nothing", async () => {
    withCount.received.length = 0;
    const c = client(withCount);
    expect((await rejection(c.spaces.list({ page: 0 }))).option).toBe("page");
    expect((await rejection(c.spaces.list({ pageSize: 1.5 }))).option).toBe("pageSize");
    expect((await rejection(c.spaces.list({ pageSize: 5000 }))).option).toBe("pageSize");
    expect(withCount.received).toHaveLength(0);
  });
});

describe("every page", () => {
  test("for await over list() yields every item once, in order", async () => {
    withCount.received.length = 0;
    const seen: number[] = [];
    for await (const item of client(withCount).tasks.list("sp", { pageSize: 20 })) {
      seen.push((item as unknown as { id: number }).id);
    }
    expect(seen).toEqual(ITEMS.map((i) => i.id));
    expect(withCount.received).toHaveLength(3); // 20 + 20 + 5, no extra empty page
  });

  test("a page_size the server caps still walks every item (offsets follow the server)", async () => {
    const seen: unknown[] = [];
    for await (const item of client(withCount).runs.list("sp", { pageSize: 100 })) seen.push(item);
    expect(seen).toEqual(ITEMS);
  });

  test("pages() yields the pages; iteration can start from a later page", async () => {
    const pages: number[] = [];
    for await (const page of client(withCount).callLogs.list({ pageSize: 20 }).pages()) {
      pages.push(page.page);
    }
    expect(pages).toEqual([1, 2, 3]);
    const fromTwo: unknown[] = [];
    for await (const item of await client(withCount).agents.listTasks("a", {
      page: 2,
      pageSize: 20,
    })) {
      fromTwo.push(item);
    }
    expect(fromTwo).toEqual(ITEMS.slice(20));
  });

  test("breaking out of the loop stops fetching", async () => {
    withCount.received.length = 0;
    for await (const item of client(withCount).spaces.list({ pageSize: 5 })) {
      if ((item as unknown as { id: number }).id === 3) break;
    }
    expect(withCount.received).toHaveLength(1);
  });

  test("without a count, full pages continue and a short or empty page ends", async () => {
    withoutCount.received.length = 0;
    const seen: unknown[] = [];
    for await (const item of client(withoutCount).agents.listExecutions("a", { pageSize: 15 })) {
      seen.push(item);
    }
    expect(seen).toEqual(ITEMS);
    expect(withoutCount.received).toHaveLength(4); // 15, 15, 15, then an empty page
    const one = await client(withoutCount).spaces.list();
    expect(one.count).toBeUndefined();
    expect(one.hasMore).toBe(false); // no pageSize asked for: nothing to compare with
  });

  test("an error on a later page rejects the loop", async () => {
    let calls = 0;
    const flaky = await startServer(() => {
      calls++;
      return calls === 1
        ? ok(ITEMS.slice(0, 20), { count: 45 })
        : { status: 404, body: { status_code: 404, message: "gone" } };
    });
    const seen: unknown[] = [];
    const error = await rejection(
      (async () => {
        for await (const item of client(flaky).spaces.list({ pageSize: 20 })) seen.push(item);
      })(),
    );
    expect(error.code).toBe("not_found");
    expect(seen).toHaveLength(20);
    await flaky.close();
  });
});
