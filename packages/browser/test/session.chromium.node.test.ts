import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { DevServer } from "@unpod/dev-server";
import { launchChromium } from "@unpod/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devServer, mint, until } from "./helpers.node.js";

// The same core scenarios in real Chromium (Debian's), loading the BUILT bundle: dist/index.js
// of this package and of @unpod/core, served by a node:http server with an import map.
const files: Record<string, URL> = {
  "/browser/index.js": new URL("../dist/index.js", import.meta.url),
  "/core/index.js": new URL("../node_modules/@unpod/core/dist/index.js", import.meta.url),
  "/core/internal.js": new URL("../node_modules/@unpod/core/dist/internal.js", import.meta.url),
};
const html = `<!doctype html><meta charset="utf-8"><title>unpod</title>
<script type="importmap">{"imports":{"@unpod/core":"/core/index.js","@unpod/core/internal":"/core/internal.js"}}</script>
<script type="module">window.unpod = await import("/browser/index.js"); window.ready = true;</script>`;

let server: DevServer;
let http: Server;
let origin: string;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await devServer();
  http = createServer(async (req, res) => {
    const file = files[req.url ?? ""];
    if (file) {
      res.writeHead(200, { "content-type": "text/javascript" }).end(await readFile(file));
    } else if (req.url === "/") {
      res.writeHead(200, { "content-type": "text/html" }).end(html);
    } else res.writeHead(404).end();
  });
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  browser = await launchChromium();
  page = await browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => (window as { ready?: boolean }).ready === true);
  expect(errors).toEqual([]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => http?.close(r));
  await server?.close();
});

type Win = { unpod: typeof import("../src/index.js"); s?: import("../src/index.js").UnpodSession };

describe("real Chromium, built bundle, dev server", () => {
  it("uses the browser's own WebSocket: connects, echoes, leaves", async () => {
    const token = await mint(server);
    const result = await page.evaluate(
      async ({ url, token }) => {
        const { UnpodSession } = (window as unknown as Win).unpod;
        const s = new UnpodSession({ serverUrl: url, token });
        await s.connect();
        const reply = new Promise<string>((resolve) =>
          s.on("agent_reply", ({ text, final }) => final && resolve(text)),
        );
        s.sendText("from chromium");
        const text = await reply;
        const { state, sessionId, transcript } = s.getSnapshot();
        await s.disconnect();
        return {
          text,
          state,
          sessionId,
          transcript: transcript.length,
          after: s.getSnapshot().state,
        };
      },
      { url: server.url, token },
    );
    expect(result).toMatchObject({
      text: "Echo: from chromium",
      state: "connected",
      transcript: 2,
      after: "disconnected",
    });
    expect(result.sessionId).toMatch(/^SE_/);
  });

  it("an expired token fails at once, and the server sees nothing", async () => {
    const token = await mint(server, { ttl: 1, now: () => Date.now() - 10_000 });
    const before = server.rtc.stats();
    const error = await page.evaluate(
      async ({ url, token }) => {
        const { UnpodSession } = (window as unknown as Win).unpod;
        const e = await new UnpodSession({ serverUrl: url, token }).connect().catch((e) => e);
        return { name: e.name, code: e.code };
      },
      { url: server.rtcUrl, token },
    );
    expect(error).toEqual({ name: "UnpodTokenError", code: "token_expired" });
    const after = server.rtc.stats();
    expect([after.upgrades, after.refused, after.validates]).toEqual([
      before.upgrades,
      before.refused,
      before.validates,
    ]);
  });

  it("a refused upgrade is explained (cross-origin validate call): forged → unauthorized, no join → forbidden", async () => {
    const forged = await mint(server, { secret: "y".repeat(43) });
    const noJoin = await mint(server, { roomJoin: false });
    const codes = await page.evaluate(
      async ({ url, tokens }) => {
        const { UnpodSession } = (window as unknown as Win).unpod;
        const out: string[] = [];
        for (const token of tokens) {
          const e = await new UnpodSession({ serverUrl: url, token }).connect().catch((e) => e);
          out.push(`${e.name}:${e.code}`);
        }
        return out;
      },
      { url: server.rtcUrl, tokens: [forged, noJoin] },
    );
    expect(codes).toEqual(["UnpodSessionError:unauthorized", "UnpodSessionError:forbidden"]);
  });

  it("resumes the same session after a server-side drop; nothing lost, nothing twice", async () => {
    const token = await mint(server);
    const sid = await page.evaluate(
      async ({ url, token }) => {
        const w = window as unknown as Win & { replies: string[] };
        w.replies = [];
        w.s = new w.unpod.UnpodSession({ serverUrl: url, token });
        w.s.on("agent_reply", ({ text }) => w.replies.push(text));
        await w.s.connect();
        return w.s.getSnapshot().sessionId as string;
      },
      { url: server.rtcUrl, token },
    );
    const upgrades = server.rtc.stats().upgrades;
    for (let round = 0; round < 5; round++) {
      server.rtc.push(sid, {
        type: "agent_reply",
        turn_id: `a${round}`,
        text: `a${round}`,
        final: true,
      });
      server.rtc.dropSession(sid);
      server.rtc.push(sid, {
        type: "agent_reply",
        turn_id: `b${round}`,
        text: `b${round}`,
        final: true,
      });
      // Each round is a real drop and a real resume (one more upgrade).
      await until(
        () =>
          server.rtc.stats().upgrades === upgrades + round + 1 &&
          server.rtc.sessions().some((x) => x.sessionId === sid && x.connected),
        10_000,
      );
    }
    await page.waitForFunction(
      () => (window as unknown as { replies: string[] }).replies.length >= 10,
    );
    const after = await page.evaluate(async () => {
      const w = window as unknown as Win & { replies: string[] };
      const snap = w.s?.getSnapshot();
      await w.s?.disconnect();
      return { replies: w.replies, sid: snap?.sessionId, state: snap?.state };
    });
    expect(after.sid).toBe(sid);
    expect(after.state).toBe("connected");
    expect(after.replies).toEqual(["a0", "b0", "a1", "b1", "a2", "b2", "a3", "b3", "a4", "b4"]);
  });

  it("connect({ signal }) aborts, and disconnect() while connecting stops", async () => {
    const token = await mint(server);
    const result = await page.evaluate(
      async ({ url, token }) => {
        const { UnpodSession } = (window as unknown as Win).unpod;
        const ctl = new AbortController();
        const a = new UnpodSession({ serverUrl: url, token });
        const p = a.connect({ signal: ctl.signal }).catch((e) => e.code);
        ctl.abort();
        const b = new UnpodSession({ serverUrl: url, token });
        const q = b.connect().catch((e) => e.code);
        await b.disconnect();
        return { aborted: await p, disconnected: await q, state: b.getSnapshot().state };
      },
      { url: server.rtcUrl, token },
    );
    expect(result).toEqual({ aborted: "aborted", disconnected: "aborted", state: "disconnected" });
  });
});
