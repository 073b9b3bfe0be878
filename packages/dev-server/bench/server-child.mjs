// The dev server under test, in its own process (started by sessions.mjs with --expose-gc),
// so the clients' work and memory do not count against it.
import { startDevServer } from "../dist/index.js";
import { memory } from "./memory.mjs";

const server = await startDevServer({ idleTimeout: 3600, resumeWindow: 3600 });
process.on("message", async (msg) => {
  if (msg === "memory") process.send({ memory: memory() });
  else if (msg === "stats") process.send({ stats: server.rtc.stats() });
  else if (msg === "close") {
    await server.close();
    process.send({ closed: true });
    process.exit(0);
  }
});
process.send({
  ready: true,
  rtcUrl: server.rtcUrl,
  credentials: { ...server.credentials },
  memory: memory(),
});
