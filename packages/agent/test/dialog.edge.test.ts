import { describe, expect, it } from "vitest";
import { createDialogHandler, type DialogTurn } from "../src/index.js";

// createDialogHandler is plain Fetch API: this file runs in Node and in the edge runtime.

const turn = (body: unknown, init: RequestInit = {}) =>
  new Request("https://agent.example/unpod", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
    ...init,
  });

const BODY = {
  text: "What are your hours?",
  context: {
    call_id: "CA_1",
    session_id: "SE_1",
    turn_number: 2,
    direction: "inbound",
    user_number: "+14155550100",
    data: { plan: "pro" },
  },
};

describe("createDialogHandler", () => {
  it("answers {text} from a string, a promise or a token stream, with the turn's context", async () => {
    const seen: DialogTurn[] = [];
    const handlers = [
      (t: DialogTurn) => {
        seen.push(t);
        return `Turn ${t.context.turnNumber}: 9 to 5.`;
      },
      async () => "Turn 2: 9 to 5.",
      async function* () {
        yield "Turn 2: ";
        yield "9 to 5.";
      },
    ];
    for (const handler of handlers) {
      const res = await createDialogHandler(handler)(turn(BODY));
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("application/json");
      expect(await res.json()).toEqual({ text: "Turn 2: 9 to 5." });
    }
    expect(seen[0]).toMatchObject({
      text: "What are your hours?",
      context: {
        callId: "CA_1",
        sessionId: "SE_1",
        turnNumber: 2,
        direction: "inbound",
        userNumber: "+14155550100",
        data: { plan: "pro" },
      },
    });
    expect(seen[0]?.signal.aborted).toBe(false);
  });

  it("silence is an empty text; a body without context is fine", async () => {
    const res = await createDialogHandler(() => undefined)(turn({ text: "hi" }));
    expect(await res.json()).toEqual({ text: "" });
  });

  it.each<[string, unknown, string]>([
    ["invalid JSON", "{", "body"],
    ["an array", [], "body"],
    ["no text", { context: {} }, "body.text"],
    ["a number as text", { text: 3 }, "body.text"],
    ["context not an object", { text: "x", context: "c" }, "body.context"],
    [
      "turn_number not an integer",
      { text: "x", context: { turn_number: 1.5 } },
      "body.context.turn_number",
    ],
    ["call_id not a string", { text: "x", context: { call_id: 7 } }, "body.context.call_id"],
    ["data not an object", { text: "x", context: { data: [] } }, "body.context.data"],
  ])(
    "a malformed body (%s) gets 400 naming %s, and onError an UnpodArgumentError",
    async (_, body, option) => {
      const errors: unknown[] = [];
      let called = false;
      const handler = createDialogHandler(
        () => {
          called = true;
          return "no";
        },
        { onError: (e) => errors.push(e) },
      );
      const res = await handler(turn(body));
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: "invalid_argument", option } });
      expect(errors[0]).toMatchObject({ name: "UnpodArgumentError", option });
      expect(called).toBe(false);
    },
  );

  it("refuses other methods (405), other media types (415), oversize bodies (413)", async () => {
    const handler = createDialogHandler(() => "x", { maxBodyBytes: 100 });
    expect((await handler(new Request("https://a.example/", { method: "GET" }))).status).toBe(405);
    expect(
      (await handler(turn("text=hi", { headers: { "Content-Type": "text/plain" } }))).status,
    ).toBe(415);
    expect((await handler(turn({ text: "x".repeat(200) }))).status).toBe(413);
  });

  it("with a secret, requests need Authorization: Bearer <secret>", async () => {
    const handler = createDialogHandler(() => "ok", { secret: "s3cret-value" });
    expect((await handler(turn(BODY))).status).toBe(401);
    const wrong = turn(BODY, {
      headers: { "Content-Type": "application/json", Authorization: "Bearer nope" },
    });
    expect((await handler(wrong)).status).toBe(401);
    const right = turn(BODY, {
      headers: { "Content-Type": "application/json", Authorization: "Bearer s3cret-value" },
    });
    expect((await handler(right)).status).toBe(200);
  });

  it("past the timeout: 504, the handler's signal fires, onError gets a timeout error", async () => {
    const errors: unknown[] = [];
    let signal: AbortSignal | undefined;
    const handler = createDialogHandler(
      (t) => {
        signal = t.signal;
        return new Promise<string>(() => {});
      },
      { timeout: 1, onError: (e) => errors.push(e) },
    );
    const res = await handler(turn(BODY));
    expect(res.status).toBe(504);
    expect(await res.json()).toMatchObject({ error: { code: "timeout" } });
    expect(signal?.aborted).toBe(true);
    expect(errors[0]).toMatchObject({ name: "UnpodConnectionError", code: "timeout" });
  });

  it("a handler that throws gets 500 without its message; onError gets the error", async () => {
    const errors: unknown[] = [];
    const secret = new Error("db password is hunter2");
    const res = await createDialogHandler(
      () => {
        throw secret;
      },
      { onError: (e) => errors.push(e) },
    )(turn(BODY));
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain("hunter2");
    expect(errors).toEqual([secret]);
  });

  it("bad options name themselves", () => {
    expect(() => createDialogHandler("x" as never)).toThrow(/handler/);
    expect(() => createDialogHandler(() => "", { timeout: "soon" })).toThrow(/timeout/);
    expect(() => createDialogHandler(() => "", { maxBodyBytes: 0 })).toThrow(/maxBodyBytes/);
    expect(() => createDialogHandler(() => "", { secret: "has space" })).toThrow(/secret/);
  });
});
