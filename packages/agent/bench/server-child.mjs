// The dev server for the agent bench, in its own process: the orchestrator and the
// real-time endpoint. Pipe "bench-echo" names an agent no runner serves: its sessions are
// answered by the echo agent, the baseline.
import { startDevServer } from "@unpod/dev-server";

const server = await startDevServer({
  env: false,
  idleTimeout: 3600,
  resumeWindow: 3600,
  audio: false,
  pipes: [{ id: "bench-echo", agentId: "nobody-runs-this" }],
});
process.on("message", async (msg) => {
  if (msg === "calls") {
    const live = server.workers.calls().filter((c) => c.phase === "live").length;
    process.send({ calls: live });
  } else if (msg === "close") {
    await server.close();
    process.send({ closed: true });
    process.exit(0);
  }
});
process.send({ ready: true, rtcUrl: server.rtcUrl, credentials: { ...server.credentials } });
