// Vitest global setup: dev servers run here, in the main Node process, and test files drive
// them over a small HTTP bridge. They cannot run inside a test file's DOM environment:
// @unpod/node refuses to hold secrets where `window` and `document` exist, and happy-dom
// replaces the fetch globals the server's HTTP stack relies on.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type DevServer, startDevServer } from "@unpod/dev-server";
import { AccessToken } from "@unpod/node";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    devServerBridge: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const servers = new Map<string, DevServer>();
  let next = 0;
  const bridge = createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    const [, id, action] = (req.url ?? "").split("/");
    try {
      let out: unknown = null;
      if (id === "start") {
        const server = await startDevServer({ port: 0 });
        const key = String(++next);
        servers.set(key, server);
        out = { id: key, url: server.url, rtcUrl: server.rtcUrl };
      } else {
        const server = servers.get(id ?? "");
        if (server === undefined) throw new Error(`no dev server ${id}`);
        if (action === "token") {
          // Minted here, so the API secret never leaves this process.
          const { identity, room, canPublishData } = JSON.parse(body);
          out = await new AccessToken({
            apiKey: server.credentials.apiKey,
            apiSecret: server.credentials.apiSecret,
            identity,
            ttl: "10m",
          })
            .addGrant({ roomJoin: true, room, canPublishData })
            .toJwt();
        } else if (action === "stats") out = server.rtc.stats();
        else if (action === "sessions") out = server.rtc.sessions();
        else if (action === "push") {
          const { sessionId, frame } = JSON.parse(body);
          server.rtc.push(sessionId, frame);
        } else if (action === "close") {
          servers.delete(id ?? "");
          await server.close();
        } else throw new Error(`unknown action ${action}`);
      }
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(out));
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });
  await new Promise<void>((resolve) => bridge.listen(0, "127.0.0.1", resolve));
  project.provide("devServerBridge", `http://127.0.0.1:${(bridge.address() as AddressInfo).port}`);
  return async () => {
    await Promise.all([...servers.values()].map((s) => s.close()));
    await new Promise((resolve) => bridge.close(resolve));
  };
}
