import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { DevServer } from "@unpod/dev-server";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDialogHandler, type DialogTurn } from "../src/index.js";
import { connect, devServer, mint, next } from "./helpers.js";

// createDialogHandler mounted in Hono on a real port, called by the dev server for a pipe
// with an agent endpoint.

const SECRET = "endpoint-secret-42";
let server: DevServer;
let agent: ReturnType<typeof serve>;
let endpoint: string;
const turns: DialogTurn[] = [];

beforeAll(async () => {
  const dialog = createDialogHandler(
    async ({ text, context, signal, request }) => {
      turns.push({ text, context, signal, request });
      if (text === "crash") throw new Error("boom");
      return `Turn ${context.turnNumber}: you said "${text}" (${String(context.data.channel)}).`;
    },
    { secret: SECRET },
  );
  const app = new Hono();
  app.post("/unpod/turn", (c) => dialog(c.req.raw));
  await new Promise<void>((resolve) => {
    agent = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve());
  });
  endpoint = `http://127.0.0.1:${(agent.address() as AddressInfo).port}/unpod/turn`;
  server = await devServer({
    pipes: [{ id: "web-line", agentEndpoint: endpoint, endpointSecret: SECRET }],
  });
});
afterAll(async () => {
  await server?.close();
  await new Promise((r) => agent?.close(r));
});

describe("a pipe with an HTTP agent endpoint", () => {
  it("each user turn is POSTed to the handler; its {text} is the agent's reply", async () => {
    const s = await connect(server, await mint(server, "web-line", "web-user"));
    s.sendText("hello");
    expect((await next(s, "agent_reply", (e) => e.final)).text).toBe(
      'Turn 1: you said "hello" (undefined).',
    );
    s.sendText("again");
    expect((await next(s, "agent_reply", (e) => e.final)).text).toMatch(/^Turn 2: /);
    expect(turns[0]?.context).toMatchObject({
      sessionId: s.getSnapshot().sessionId,
      turnNumber: 1,
      direction: "inbound",
      userNumber: "web-user",
      callId: expect.stringMatching(/^CA_/),
    });
    expect(turns[0]?.request.headers.get("authorization")).toBe(`Bearer ${SECRET}`);
    // A handler that fails reaches the session as an error frame, not as words.
    s.sendText("crash");
    expect(await next(s, "error")).toMatchObject({
      error: expect.objectContaining({ message: expect.stringContaining("500") }),
    });
    await s.disconnect();
  });

  it("a session token's metadata reaches the handler as context.data", async () => {
    const res = await fetch(`${server.apiUrl}speech/v1/sessions/token`, {
      method: "POST",
      headers: {
        Authorization: `Token ${server.credentials.apiToken}`,
        "Content-Type": "application/json",
      },
      body: JSON.stringify({ pipe_id: "web-line", metadata: { channel: "web" } }),
    });
    const { data } = (await res.json()) as { data: { token: string } };
    const s = await connect(server, data.token);
    s.sendText("hi");
    expect((await next(s, "agent_reply", (e) => e.final)).text).toBe(
      'Turn 1: you said "hi" (web).',
    );
    await s.disconnect();
  });

  it("a malformed body gets 400 from the mounted handler; a missing secret 401", async () => {
    const post = (body: string, auth = `Bearer ${SECRET}`) =>
      fetch(endpoint, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: auth },
        body,
      });
    const bad = await post(JSON.stringify({ text: 42 }));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      error: { code: "invalid_argument", option: "body.text" },
    });
    expect((await post("{not json")).status).toBe(400);
    expect((await post(JSON.stringify({ text: "x" }), "Bearer wrong")).status).toBe(401);
  });
});
