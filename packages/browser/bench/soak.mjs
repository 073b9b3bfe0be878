// Soak on the BUILT packages: `pnpm --filter @unpod/browser soak` (or `node bench/soak.mjs [drops]`).
// 1,000 forced drops during a stream of agent replies (and user texts): every reply and every
// echo must arrive exactly once, in order. Exits 1 otherwise.
import { startDevServer } from "@unpod/dev-server";
import { AccessToken } from "@unpod/node";
import { WebSocket } from "ws";
import { exponentialBackoff, UnpodSession } from "../dist/index.js";
import { soak } from "./scenario.mjs";

const drops = Number(process.argv[2] ?? 1000);
const result = await soak({
  UnpodSession,
  exponentialBackoff,
  startDevServer,
  AccessToken,
  WebSocket,
  drops,
});
console.log(JSON.stringify(result, null, 2));
const ok =
  result.sessionId === "same" &&
  result.reconnects === drops &&
  result.replies.exactlyOnceInOrder &&
  result.echoes.exactlyOnceInOrder;
console.log(ok ? "soak: OK" : "soak: FAILED");
process.exit(ok ? 0 : 1);
