import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { AgentRunner, type AgentRunnerOptions } from "../src/index.js";
import { backoffDelay } from "../src/internal/backoff.js";

// Options, credentials from the environment, the orchestrator's URL, and secrets kept out
// of everything printable.

const TOKEN = "0123456789abcdef0123456789abcdef01234567";
const VARS = ["UNPOD_API_TOKEN", "UNPOD_ORG_HANDLE", "UNPOD_ORCHESTRATOR_URL", "UNPOD_BASE_URL"];
const saved = Object.fromEntries(VARS.map((v) => [v, process.env[v]]));
afterEach(() => {
  for (const v of VARS) {
    if (saved[v] === undefined) delete process.env[v];
    else process.env[v] = saved[v];
  }
});
for (const v of VARS) delete process.env[v];

const base = { agentId: "support", onTurn: () => "" } as const;
const make = (o: Partial<AgentRunnerOptions>) =>
  new AgentRunner({ ...base, ...o } as AgentRunnerOptions);
const shown = (r: AgentRunner) => r.toJSON() as Record<string, unknown>;

describe("credentials", () => {
  it("apiToken + orgHandle (options or UNPOD_API_TOKEN + UNPOD_ORG_HANDLE) → Token + Org-Handle", () => {
    expect(shown(make({ apiToken: TOKEN, orgHandle: "acme" }))).toMatchObject({
      auth: "Token [redacted]",
      orgHandle: "acme",
    });
    process.env.UNPOD_API_TOKEN = TOKEN;
    process.env.UNPOD_ORG_HANDLE = "from-env";
    expect(shown(make({}))).toMatchObject({ auth: "Token [redacted]", orgHandle: "from-env" });
    expect(shown(make({ orgHandle: "option-wins" }))).toMatchObject({ orgHandle: "option-wins" });
  });

  it("a secretKey is sent as Bearer and wins over the environment's token", () => {
    process.env.UNPOD_API_TOKEN = TOKEN;
    const r = shown(make({ secretKey: "sk_live_abc123" }));
    expect(r).toMatchObject({ auth: "Bearer [redacted]" });
    expect(r).not.toHaveProperty("orgHandle");
  });

  it.each<[string, Partial<AgentRunnerOptions>, string]>([
    ["no credential at all", {}, "apiToken"],
    ["a token without an Org-Handle", { apiToken: TOKEN }, "orgHandle"],
    ["a token with a line break", { apiToken: "abc\r\nX-Evil: 1", orgHandle: "acme" }, "apiToken"],
    ["a secretKey with a space", { secretKey: "sk_ abc" }, "secretKey"],
  ])("%s is refused naming %s", (_, o, option) => {
    expect(() => make(o)).toThrow(expect.objectContaining({ name: "UnpodArgumentError", option }));
  });

  it("secrets never show in JSON.stringify, util.inspect or errors", () => {
    const secret = "sk_live_do-not-print-me";
    const r = make({ secretKey: secret });
    expect(JSON.stringify(r)).not.toContain(secret);
    expect(inspect(r, { depth: 5, showHidden: true })).not.toContain(secret);
    expect(inspect(r)).toMatch(/^AgentRunner \{/);
    const token = make({ apiToken: TOKEN, orgHandle: "acme" });
    expect(`${JSON.stringify(token)} ${inspect(token)}`).not.toContain(TOKEN);
    let message = "";
    try {
      make({ apiToken: `${TOKEN} spaced`, orgHandle: "acme" });
    } catch (error) {
      message = `${(error as Error).message} ${inspect(error)}`;
    }
    expect(message).toContain("apiToken");
    expect(message).not.toContain(TOKEN);
  });
});

describe("the orchestrator's URL", () => {
  const url = (o: Partial<AgentRunnerOptions>) =>
    shown(make({ apiToken: TOKEN, orgHandle: "acme", ...o })).controlUrl;

  it("is wss://<host of the API base>/v1/internal/workers by default", () => {
    expect(url({})).toBe("wss://unpod.ai/v1/internal/workers");
    process.env.UNPOD_BASE_URL = "https://eu.unpod.dev/api/v2/platform/";
    expect(url({})).toBe("wss://eu.unpod.dev/v1/internal/workers");
    // The dev server's base (http on loopback) maps to ws.
    expect(url({ baseUrl: "http://127.0.0.1:7880/api/v2/platform/" })).toBe(
      "ws://127.0.0.1:7880/v1/internal/workers",
    );
  });

  it("UNPOD_ORCHESTRATOR_URL (or the option) wins, keeping its path prefix", () => {
    process.env.UNPOD_BASE_URL = "https://eu.unpod.dev/api/v2/platform/";
    process.env.UNPOD_ORCHESTRATOR_URL = "wss://orch.unpod.dev/";
    expect(url({})).toBe("wss://orch.unpod.dev/v1/internal/workers");
    expect(url({ orchestratorUrl: "https://gw.example/unpod" })).toBe(
      "wss://gw.example/unpod/v1/internal/workers",
    );
  });

  it("plain ws:// only to loopback, unless allowInsecure", () => {
    expect(() => url({ orchestratorUrl: "ws://10.0.0.5:7880" })).toThrow(
      expect.objectContaining({ option: "orchestratorUrl" }),
    );
    expect(url({ orchestratorUrl: "ws://10.0.0.5:7880", allowInsecure: true })).toBe(
      "ws://10.0.0.5:7880/v1/internal/workers",
    );
    expect(url({ orchestratorUrl: "ws://localhost:7880" })).toBe(
      "ws://localhost:7880/v1/internal/workers",
    );
    expect(() => url({ orchestratorUrl: "ftp://x" })).toThrow(/orchestratorUrl/);
    expect(() => url({ orchestratorUrl: "wss://x/?token=1" })).toThrow(/orchestratorUrl/);
  });
});

describe("the other options", () => {
  const creds = { apiToken: TOKEN, orgHandle: "acme" };

  it.each<[string, Record<string, unknown>, string]>([
    ["both handlers", { onTurn: () => "", entrypoint: () => {} }, "onTurn"],
    ["no handler", { onTurn: undefined }, "onTurn"],
    ["a handler that is not a function", { onTurn: "hi" }, "onTurn"],
    ["an agentId with #", { agentId: "a#b" }, "agentId"],
    ["an empty agentId", { agentId: "" }, "agentId"],
    ["maxSessions 0", { maxSessions: 0 }, "maxSessions"],
    ["a fractional maxSessions", { maxSessions: 1.5 }, "maxSessions"],
    ["a bad drainTimeout", { drainTimeout: "later" }, "drainTimeout"],
    ["negative maxReconnectAttempts", { maxReconnectAttempts: -1 }, "maxReconnectAttempts"],
    ["voiceProfiles not strings", { voiceProfiles: [1] }, "voiceProfiles"],
    ["a clock without timers", { clock: { now: () => 0 } }, "clock"],
  ])("%s is refused naming %s", (_, o, option) => {
    expect(() => new AgentRunner({ ...base, ...creds, ...o } as AgentRunnerOptions)).toThrow(
      expect.objectContaining({ name: "UnpodArgumentError", option }),
    );
  });

  it("the worker id is <agentId>#<8 hex>, new per runner; the pool follows devMode; limits default", () => {
    const a = make(creds);
    const b = make({ ...creds, devMode: true, maxSessions: 7 });
    expect(a.workerId).toMatch(/^support#[0-9a-f]{8}$/);
    expect(b.workerId).not.toBe(a.workerId);
    expect(shown(a)).toMatchObject({ pool: "support", maxSessions: 50, state: "idle" });
    expect(shown(b)).toMatchObject({ pool: "support@dev", maxSessions: 7 });
    expect(typeof a[Symbol.asyncDispose]).toBe("function");
  });
});

describe("backoff", () => {
  it("1 s doubling to 30 s, ±50 % jitter", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((n) => backoffDelay(n, 0.5))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
    ]);
    expect(backoffDelay(1, 0)).toBe(500);
    expect(backoffDelay(1, 0.999999)).toBe(1500);
    expect(backoffDelay(10, 0)).toBe(15000);
    expect(backoffDelay(10, 0.999999)).toBe(45000);
  });
});
