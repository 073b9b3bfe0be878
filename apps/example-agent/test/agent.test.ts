import { UnpodSession } from "@unpod/browser";
import { type DevServer, startDevServer } from "@unpod/dev-server";
import { AccessToken } from "@unpod/node";
import { afterAll, beforeAll, expect, it } from "vitest";
import { WebSocket } from "ws";
import { createExampleAgent, fakeAnswer, fakeLlm } from "../src/index.js";

// The demo's agent against a real dev server, through a Node session.

let server: DevServer;
let runner: ReturnType<typeof createExampleAgent>;
let session: UnpodSession;
const replies: { turnId: string; text: string; final: boolean }[] = [];

beforeAll(async () => {
  server = await startDevServer({ env: false });
  runner = createExampleAgent({
    apiToken: server.credentials.apiToken,
    orgHandle: server.credentials.orgHandle,
    baseUrl: server.apiUrl,
    tokenMs: 10,
  });
  const registered = new Promise((r) => runner.on("registered", r));
  void runner.run();
  await registered;
  const token = await new AccessToken<string>({
    apiKey: server.credentials.apiKey,
    apiSecret: server.credentials.apiSecret,
    identity: "demo-user",
  })
    .addGrant({ room: "demo", roomJoin: true, canPublishData: true })
    .toJwt();
  session = new UnpodSession({
    serverUrl: server.rtcUrl,
    token,
    WebSocket,
  } as ConstructorParameters<typeof UnpodSession>[0]);
  session.on("agent_reply", (e) =>
    replies.push({ turnId: e.turnId, text: e.text, final: e.final }),
  );
  await session.connect();
});
afterAll(async () => {
  await session?.disconnect();
  await runner?.close({ drainTimeout: 0 });
  await server?.close();
});

const final = (turnId: string) =>
  new Promise<string>((resolve) => {
    const check = () => {
      const r = replies.find((x) => x.turnId === turnId && x.final);
      if (r) resolve(r.text);
      else setTimeout(check, 5);
    };
    check();
  });

it("streams the fake LLM's answer: deltas, then the final text", async () => {
  session.sendText("hello from the demo");
  expect(await final("t1")).toBe("Echo: hello from the demo");
  expect(replies.filter((r) => r.turnId === "t1" && !r.final).length).toBeGreaterThanOrEqual(1);
});

it("a new message interrupts a long answer mid-stream; the agent remembers what was shown", async () => {
  session.sendText("/story");
  await new Promise<void>((resolve) => {
    const check = () => (replies.some((r) => r.turnId === "t2") ? resolve() : setTimeout(check, 5));
    check();
  });
  session.sendText("/history");
  const story = await final("t2");
  expect(fakeAnswer("/story").startsWith(story)).toBe(true);
  expect(story.length).toBeLessThan(fakeAnswer("/story").length);
  expect(await final("t3")).toBe("I remember 5 lines of this call, 2 of them mine.");
});

it("/bye says goodbye, then hangs up", async () => {
  const left = new Promise((resolve) => session.on("disconnected", resolve));
  session.sendText("/bye");
  expect(await final("t4")).toBe("Goodbye!");
  expect(await left).toMatchObject({ reason: "session_ended" });
});

it("the fake LLM produces no token after its signal fires, as a cancelled LLM stream", async () => {
  const controller = new AbortController();
  const tokens: string[] = [];
  const stream = fakeLlm("/story", { signal: controller.signal, tokenMs: 5 });
  for await (const token of stream) {
    tokens.push(token);
    if (tokens.length === 3) controller.abort();
  }
  // The loop ended by itself: the generator returned at the abort, mid-story.
  expect(tokens).toHaveLength(3);
  expect(fakeAnswer("/story").startsWith(tokens.join(""))).toBe(true);
  expect(tokens.join("").length).toBeLessThan(fakeAnswer("/story").length);
});
