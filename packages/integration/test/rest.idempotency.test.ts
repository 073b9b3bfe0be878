// A retried POST with an idempotency key is applied exactly once: the dev server lets the
// first attempt take effect and then loses or replaces its answer (an `afterHandler`
// fault: a gateway failing after the origin did the work), the real @unpod/node client
// retries with the same key, and the server replays the first answer. Counted in the
// server's own store, and visible to the client in `withResponse().headers`.
import type { DevServer } from "@unpod/dev-server";
import type { UnpodClient } from "@unpod/node";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { clientFor, rejection, startApi } from "./support.js";

const BRIDGES = "/api/v2/platform/telephony/bridges/";

let server: DevServer;
let client: UnpodClient;

beforeAll(async () => {
  server = await startApi();
  client = clientFor(server);
});
afterEach(() => server.reset());
afterAll(() => server.close());

/** Bridges in the server's store with this name (read through the API, all pages). */
async function bridgesNamed(name: string): Promise<number> {
  let found = 0;
  for await (const bridge of client.telephony.bridges.list({ pageSize: 100 })) {
    if (bridge.name === name) found += 1;
  }
  return found;
}

/** The POSTs to the bridges endpoint the server answered, as [status, key, replayed]. */
const posts = () =>
  server.requests
    .filter((r) => r.method === "POST" && r.path === BRIDGES)
    .map((r) => [r.status, r.idempotencyKey, r.replayed]);

describe("a POST whose first answer is lost after it took effect", () => {
  test("dropped connection: retried with the same key, applied once, the replay is flagged", async () => {
    server.faults.add({ method: "POST", path: BRIDGES, drop: true, afterHandler: true, times: 1 });
    const { data, status, headers, requestId } = await client.telephony.bridges
      .create({ name: "Once", region: "US" }, { idempotencyKey: "bridge-once-1" })
      .withResponse();
    expect(status).toBe(201);
    expect(data.name).toBe("Once");
    expect(headers["idempotent-replayed"]).toBe("true");
    expect(posts()).toEqual([
      [0, "bridge-once-1", false],
      [201, "bridge-once-1", true],
    ]);
    // Both attempts carried the call's one request id.
    const ids = server.requests.filter((r) => r.path === BRIDGES).map((r) => r.requestId);
    expect(ids).toEqual([requestId, requestId]);
    expect(await bridgesNamed("Once")).toBe(1);
  });

  test("a 503 after the handler ran: retried, applied once, the same bridge comes back", async () => {
    server.faults.add({ method: "POST", path: BRIDGES, status: 503, afterHandler: true, times: 1 });
    const { data, headers } = await client.telephony.bridges
      .create({ name: "Twice?", region: "US" }, { idempotencyKey: "bridge-503-1" })
      .withResponse();
    expect(headers["idempotent-replayed"]).toBe("true");
    expect(posts()).toEqual([
      [503, "bridge-503-1", false],
      [201, "bridge-503-1", true],
    ]);
    expect(await bridgesNamed("Twice?")).toBe(1);
    // The replayed bridge is the one the first attempt created.
    expect((await client.telephony.bridges.retrieve(data.slug)).name).toBe("Twice?");
  });

  test("without a key the POST is not retried: the client sees the failure, the bridge exists", async () => {
    server.faults.add({ method: "POST", path: BRIDGES, status: 503, afterHandler: true, times: 1 });
    const error = await rejection(
      client.telephony.bridges.create({ name: "Unkeyed", region: "US" }),
    );
    expect(error).toMatchObject({ code: "server_error", status: 503 });
    expect(posts()).toEqual([[503, undefined, false]]);
    // The reason POSTs are never retried without a key: the work was done.
    expect(await bridgesNamed("Unkeyed")).toBe(1);
  });

  test("a first answer that arrives is not flagged", async () => {
    const { headers, status } = await client.telephony.bridges
      .create({ name: "Plain", region: "US" }, { idempotencyKey: "bridge-plain-1" })
      .withResponse();
    expect(status).toBe(201);
    expect(headers["idempotent-replayed"]).toBeUndefined();
  });

  test("the same key with another body is refused (422) and creates nothing", async () => {
    await client.telephony.bridges.create(
      { name: "First", region: "US" },
      { idempotencyKey: "bridge-reused" },
    );
    const error = await rejection(
      client.telephony.bridges.create(
        { name: "Second", region: "US" },
        { idempotencyKey: "bridge-reused" },
      ),
    );
    expect(error).toMatchObject({ status: 422 });
    expect(String(error.message)).toMatch(/different request/);
    expect(await bridgesNamed("Second")).toBe(0);
  });

  test("reset() forgets the keys: the same key creates again on a fresh store", async () => {
    await client.telephony.bridges.create(
      { name: "Again", region: "US" },
      { idempotencyKey: "bridge-again" },
    );
    await server.reset();
    const { headers } = await client.telephony.bridges
      .create({ name: "Again", region: "US" }, { idempotencyKey: "bridge-again" })
      .withResponse();
    expect(headers["idempotent-replayed"]).toBeUndefined();
    expect(await bridgesNamed("Again")).toBe(1);
  });
});
