import { fileURLToPath } from "node:url";
import { runInNewContext } from "node:vm";
import type { DevServer } from "@unpod/dev-server";
import { build } from "esbuild";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as Browser from "../src/index.js";
import { FakeClock } from "./clock.js";
import { devServer, mint, rejection, session } from "./helpers.node.js";
import { fakeToken } from "./tokens.js";

// Events a program can await: once, waitFor, and `await using` (Symbol.asyncDispose).

let server: DevServer;
beforeAll(async () => {
  server = await devServer();
});
afterAll(() => server.close());

describe("once and waitFor", () => {
  it("once calls its listener for the next event only", async () => {
    const s = session(server, { token: await mint(server) });
    const seen: string[] = [];
    s.once("state", ({ state }) => seen.push(state));
    await s.connect();
    await s.disconnect();
    expect(seen).toEqual(["connecting"]);
  });

  it("waitFor resolves with the next matching event (the agent's final reply)", async () => {
    const s = session(server, { token: await mint(server) });
    await s.connect();
    s.sendText("hi there");
    const reply = await s.waitFor("agent_reply", { filter: (r) => r.final, timeout: "5s" });
    expect(reply).toMatchObject({ text: "Echo: hi there", final: true });
    await s.disconnect();
  });

  it("waitFor rejects with timeout, aborted, or the reason the session stopped — and cleans up", async () => {
    const clock = new FakeClock();
    const s = session(server, { token: await mint(server), clock });
    await s.connect();
    const timedOut = rejection(s.waitFor("agent_reply", { timeout: "2s" }));
    clock.advance(2000);
    expect(await timedOut).toMatchObject({ name: "UnpodConnectionError", code: "timeout" });
    const ctl = new AbortController();
    const aborted = rejection(s.waitFor("agent_reply", { signal: ctl.signal }));
    ctl.abort();
    expect(await aborted).toMatchObject({ code: "aborted" });
    const stopped = rejection(s.waitFor("agent_reply"));
    await s.disconnect();
    expect(await stopped).toMatchObject({ code: "aborted" });
    expect(clock.pending).toBe(0);
  });

  it("waitFor checks its arguments by name", async () => {
    const s = session(server, { token: await mint(server) });
    expect(await rejection(s.waitFor("nope" as never))).toMatchObject({ option: "type" });
    expect(await rejection(s.waitFor("state", { timeout: "soon" }))).toMatchObject({
      option: "timeout",
    });
    expect(await rejection(s.waitFor("state", { filter: 1 as never }))).toMatchObject({
      option: "filter",
    });
  });
});

describe("disposal", () => {
  it("await using disconnects the session when the scope ends", async () => {
    let sessionId: string | undefined;
    {
      await using s = session(server, { token: await mint(server) });
      await s.connect();
      sessionId = s.getSnapshot().sessionId;
      expect(server.rtc.sessions().some((x) => x.sessionId === sessionId)).toBe(true);
    }
    expect(server.rtc.sessions().some((x) => x.sessionId === sessionId)).toBe(false);
  });

  // A node:vm realm has no Symbol.asyncDispose (Node defines its own only in the main realm),
  // like a browser without explicit resource management; TypeScript's lowered `await using`
  // throws there unless the symbol exists. Loading the SDK defines it (core's polyfill).
  it("await using, as TypeScript compiles it, works in a realm without Symbol.asyncDispose", async () => {
    const bundle = await build({
      entryPoints: [fileURLToPath(new URL("../src/index.ts", import.meta.url))],
      bundle: true,
      format: "iife",
      globalName: "UnpodBrowser",
      conditions: ["@unpod/source"],
      write: false,
      logLevel: "silent",
    });
    const scope = ts.transpileModule("async function scope(session) { await using s = session; }", {
      compilerOptions: { target: ts.ScriptTarget.ES2022 },
    }).outputText;
    const realm: {
      URL: typeof URL;
      browser?: typeof Browser;
      scope?: (s: unknown) => Promise<void>;
    } = { URL };
    const symbols = runInNewContext("Symbol", realm) as { asyncDispose?: symbol };
    expect(symbols.asyncDispose).toBeUndefined();

    runInNewContext(
      `${bundle.outputFiles[0]?.text}\n${scope}\nglobalThis.browser = UnpodBrowser; globalThis.scope = scope;`,
      realm,
    );
    expect(symbols.asyncDispose).toBe(Symbol.for("Symbol.asyncDispose"));
    const { UnpodSession } = realm.browser as typeof Browser;
    const s = new UnpodSession({
      serverUrl: "wss://rtc.example.com",
      token: fakeToken({ exp: Date.now() / 1000 + 600 }),
    });
    let disconnects = 0;
    s.disconnect = async () => void disconnects++;
    await realm.scope?.(s);
    expect(disconnects).toBe(1);
  });
});
