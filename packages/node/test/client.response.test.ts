// Every call can give back more than its data: withResponse() → { data, requestId, status,
// headers }, Page.requestId, and the response headers on UnpodApiError — against a
// node:http server on 127.0.0.1.
import { describe, expect, test } from "vitest";
import { ApiPromise, isUnpodApiError, Page } from "../src/index.js";
import {
  client,
  fail,
  ok,
  rejection,
  scanForTokenAfterAll,
  scriptedServer,
  TOKEN,
} from "./clientHarness.js";

scanForTokenAfterAll();

const scripted = scriptedServer();
const { reply } = scripted;
const sentId = (i = 0) => scripted.server.received[i]?.headers["x-request-id"];
const SPACE = { token: "sp1", name: "Sales" };
const TRACED = { "x-trace": "t-1", "set-cookie": "sessionid=s3cr3t; HttpOnly" };

describe("withResponse()", () => {
  test("gives the data, the request id sent, the status and the response headers", async () => {
    reply({ ...ok(SPACE), headers: TRACED });
    const answer = await client(scripted.server).spaces.retrieve("sp1").withResponse();
    expect(answer).toEqual({
      data: SPACE,
      requestId: sentId(),
      status: 200,
      headers: expect.objectContaining({ "x-trace": "t-1", "content-type": "application/json" }),
    });
    expect(answer.headers["set-cookie"]).toBeUndefined();
    expect(JSON.stringify(answer)).not.toContain(TOKEN);
  });

  test("awaiting the call and withResponse() share one request", async () => {
    reply(ok(SPACE));
    const call = client(scripted.server).spaces.retrieve("sp1");
    expect(call).toBeInstanceOf(ApiPromise);
    expect(call).toBeInstanceOf(Promise);
    const [data, answer, all] = await Promise.all([call, call.withResponse(), Promise.all([call])]);
    expect(data).toEqual(SPACE);
    expect(answer.data).toBe(data);
    expect(all).toEqual([SPACE]);
    expect(scripted.server.received).toHaveLength(1);
    // then/catch/finally chain like a promise's, and give plain promises.
    const chained = call.then((space) => space.name).finally(() => {});
    expect(chained).not.toBeInstanceOf(ApiPromise);
    expect(await chained).toBe("Sales");
  });

  test("a 201 create, a 204 delete and the escape hatch", async () => {
    reply(
      { status: 201, body: { status_code: 201, message: "Created", data: { slug: "b1" } } },
      { status: 204 },
      ok([SPACE]),
    );
    const c = client(scripted.server);
    const created = await c.telephony.bridges.create({ name: "B" }).withResponse();
    expect(created).toMatchObject({ status: 201, data: { slug: "b1" }, requestId: sentId(0) });
    const deleted = await c.telephony.bridges.delete("b1").withResponse();
    expect(deleted).toMatchObject({ status: 204, data: undefined, requestId: sentId(1) });
    const raw = await c.request<unknown[]>("GET", "spaces/").withResponse();
    expect(raw).toMatchObject({ status: 200, data: [SPACE], requestId: sentId(2) });
  });

  test("a retried call reports the final answer; its request id is the same on every attempt", async () => {
    reply(fail(503, "busy"), { ...ok(SPACE), headers: { "x-attempt": "2" } });
    const answer = await client(scripted.server).spaces.retrieve("sp1").withResponse();
    expect(scripted.server.received).toHaveLength(2);
    expect(sentId(0)).toBe(sentId(1));
    expect(answer).toMatchObject({ status: 200, requestId: sentId(0) });
    expect(answer.headers["x-attempt"]).toBe("2");
  });

  test("a failure rejects withResponse() with the same typed error, reported once", async () => {
    reply(fail(404, "Space not found"));
    const call = client(scripted.server).spaces.retrieve("nope");
    // Only withResponse() is awaited: the call itself must not add an unhandled rejection
    // (Vitest fails the file on one).
    const error = await rejection(call.withResponse());
    expect(error).toMatchObject({ code: "not_found", status: 404, requestId: sentId() });
  });

  test("a bad argument rejects (nothing thrown synchronously, nothing sent)", async () => {
    reply();
    const c = client(scripted.server);
    const call = c.spaces.retrieve("");
    expect(await rejection(call.withResponse())).toMatchObject({ option: "spaceToken" });
    expect(await rejection(c.request("TRACE" as "GET", "spaces/"))).toMatchObject({
      option: "method",
    });
    expect(scripted.server.received).toHaveLength(0);
  });
});

describe("lists", () => {
  test("each page carries the request id it was fetched with", async () => {
    reply(
      { ...ok([{ id: 1 }, { id: 2 }], { count: 3 }), headers: TRACED },
      ok([{ id: 3 }], { count: 3 }),
    );
    const list = client(scripted.server).agents.list({ pageSize: 2 });
    const answer = await list.withResponse();
    expect(answer.data).toBeInstanceOf(Page);
    expect(answer).toMatchObject({ status: 200, requestId: sentId(0) });
    expect(answer.headers).toMatchObject({ "x-trace": "t-1" });
    expect(answer.headers["set-cookie"]).toBeUndefined();
    const first = await list; // the same request
    expect(first).toBe(answer.data);
    expect(first.requestId).toBe(sentId(0));
    const second = await first.nextPage();
    expect(second?.requestId).toBe(sentId(1));
    expect(sentId(1)).not.toBe(sentId(0));
    expect(scripted.server.received).toHaveLength(2);
  });
});

describe("UnpodApiError.headers", () => {
  test("a failed call's error carries the response's headers, without cookies", async () => {
    reply(
      {
        ...fail(429, "Request was throttled."),
        headers: { "retry-after": "120", "x-ratelimit-remaining": "0", ...TRACED },
      },
      { status: 200, body: "<html>not json</html>", headers: TRACED },
    );
    const c = client(scripted.server, { maxRetries: 0 });
    const limited = await rejection(c.spaces.retrieve("sp1"));
    expect(isUnpodApiError(limited)).toBe(true);
    expect(limited.headers).toMatchObject({
      "retry-after": "120",
      "x-ratelimit-remaining": "0",
      "x-trace": "t-1",
    });
    expect(JSON.stringify(limited)).toContain('"x-ratelimit-remaining":"0"');
    expect(JSON.stringify(limited)).not.toContain("s3cr3t");
    const garbled = await rejection(c.spaces.retrieve("sp1"));
    expect(garbled).toMatchObject({ code: "http_error", headers: { "x-trace": "t-1" } });
  });

  test("response_too_large carries the headers too", async () => {
    reply({ ...ok("x".repeat(4096)), headers: { "x-trace": "big" } });
    const error = await rejection(
      client(scripted.server, { maxResponseSize: 1024 }).spaces.retrieve("sp1"),
    );
    expect(error).toMatchObject({ code: "response_too_large", headers: { "x-trace": "big" } });
  });

  test("an error without an answer has none", async () => {
    const error = await rejection(
      client(scripted.server).spaces.retrieve("sp1", { signal: AbortSignal.abort() }),
    );
    expect(error).toMatchObject({ code: "aborted" });
    expect((error as { headers?: unknown }).headers).toBeUndefined();
  });
});
