// The one AgentRunner of the agent bench, in its own process (the BUILT @unpod/agent). Its
// handler streams at once: the bench measures the runner and the orchestrator, not a model.
import { AgentRunner } from "../dist/index.js";

const { rtcUrl, apiToken, orgHandle } = JSON.parse(process.argv[2]);
const runner = new AgentRunner({
  agentId: "dev-agent",
  orchestratorUrl: rtcUrl,
  apiToken,
  orgHandle,
  maxSessions: 1000,
  async *onTurn(turn) {
    yield "ok ";
    yield turn.text;
  },
});
runner.on("registered", () => process.send({ registered: true }));
runner.on("error", ({ error }) => console.error(`runner: ${String(error)}`));
process.on("message", async (msg) => {
  if (msg === "close") {
    await runner.close({ drainTimeout: 0 });
    process.exit(0);
  }
});
void runner.run();
