import { startDevServer } from "@unpod/dev-server";
import { AccessToken } from "@unpod/node";
import { expect, it } from "vitest";
import { WebSocket } from "ws";
import { soak } from "../bench/scenario.mjs";
import { exponentialBackoff, UnpodSession } from "../src/index.js";

// The full 1,000-drop soak runs on the built bundle: `pnpm --filter @unpod/browser soak`.
it("50 forced drops during a stream: every reply and echo exactly once, in order", async () => {
  const result = await soak({
    UnpodSession,
    exponentialBackoff,
    startDevServer,
    AccessToken,
    WebSocket,
    drops: 50,
  });
  expect(result).toMatchObject({
    drops: 50,
    reconnects: 50,
    sessionId: "same",
    replies: { sent: 505, received: 505, exactlyOnceInOrder: true },
    echoes: { sent: 100, received: 100, exactlyOnceInOrder: true },
  });
}, 60_000);
