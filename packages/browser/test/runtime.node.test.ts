import { readFileSync } from "node:fs";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { UnpodSession, VERSION } from "../src/index.js";
import { rejection, session, tinyServer } from "./helpers.node.js";
import { fakeToken } from "./tokens.js";

const token = () => fakeToken({ exp: Date.now() / 1000 + 600 });

describe("runtime", () => {
  it.skipIf(typeof (globalThis as { WebSocket?: unknown }).WebSocket === "function")(
    "without a global WebSocket (Node 20) connect() says to pass one, naming the option",
    async () => {
      const s = new UnpodSession({ serverUrl: "ws://127.0.0.1:9", token: token() });
      const error = await rejection(s.connect());
      expect(error).toMatchObject({ name: "UnpodArgumentError", option: "WebSocket" });
      expect(error.message).toContain('"ws"');
    },
  );

  it("never shows its token in JSON or util.inspect", () => {
    const jwt = token();
    const s = new UnpodSession({ serverUrl: "wss://rtc.example.com", token: jwt });
    expect(JSON.stringify(s)).not.toContain(jwt.split(".")[1]);
    expect(inspect(s, { depth: 5, showHidden: true })).not.toContain(jwt.split(".")[1]);
    expect(JSON.stringify(s.getSnapshot())).not.toContain(jwt.split(".")[1]);
  });

  it("VERSION matches package.json", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    expect(VERSION).toBe(pkg.version);
  });
});

describe("token endpoint URL as tokenSource", () => {
  it("reads {token} JSON or plain text", async () => {
    const answers = [
      (t: string) => [200, "application/json", JSON.stringify({ token: t })],
      (t: string) => [200, "text/plain", `${t}\n`],
    ];
    for (const answer of answers) {
      const jwt = token();
      const headers: unknown[] = [];
      const t = await tinyServer({
        onRequest: (req, res) => {
          if (req.url?.startsWith("/v1/rtc/validate")) {
            res.writeHead(401).end(JSON.stringify({ status_code: 401, message: "Invalid token." }));
            return;
          }
          headers.push(req.headers);
          const [status, type, body] = answer(jwt) as [number, string, string];
          res.writeHead(status, { "content-type": type }).end(body);
        },
        onUpgrade: (req) => {
          expect(new URL(req.url ?? "", "http://x").searchParams.get("access_token")).toBe(jwt);
          return 401; // enough to see which token was used
        },
      });
      try {
        const s = session(t.wsUrl, { tokenSource: `${t.url}/token` });
        await expect(s.connect()).rejects.toMatchObject({ code: "unauthorized" });
        expect(t.upgrades).toBe(1);
        expect(t.requests[0]).toBe("/token");
        expect(headers).toHaveLength(1);
      } finally {
        await t.close();
      }
    }
  });

  it("maps the endpoint's failure (401 → unauthorized) and makes no upgrade", async () => {
    const t = await tinyServer({
      onRequest: (_req, res) =>
        res
          .writeHead(401, { "content-type": "application/json" })
          .end(JSON.stringify({ message: "Log in first." })),
    });
    try {
      const error = await rejection(session(t.wsUrl, { tokenSource: `${t.url}/token` }).connect());
      expect(error).toMatchObject({ name: "UnpodApiError", code: "unauthorized", status: 401 });
      expect(t.upgrades).toBe(0);
    } finally {
      await t.close();
    }
  });
});
