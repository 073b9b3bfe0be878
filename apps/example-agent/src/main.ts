#!/usr/bin/env node
// Runs the example agent: `UNPOD_API_TOKEN=… UNPOD_ORG_HANDLE=… UNPOD_BASE_URL=… node dist/main.js`
// (the dev server prints those). UNPOD_AGENT_ID picks the agent (default: dev-agent, the
// dev server's fixture pipe).
import { isUnpodError } from "@unpod/agent";
import { createExampleAgent } from "./agent.js";

let runner: ReturnType<typeof createExampleAgent>;
try {
  runner = createExampleAgent({
    ...(process.env.UNPOD_AGENT_ID ? { agentId: process.env.UNPOD_AGENT_ID } : {}),
    logger: { warn: (message) => console.error(`example-agent: ${message}`) },
  });
} catch (error) {
  console.error(`example-agent: ${isUnpodError(error) ? error.message : String(error)}`);
  process.exit(1);
}

runner.on("registered", ({ workerId }) => console.log(`example-agent registered as ${workerId}`));
runner.on("call", ({ call }) => console.log(`example-agent: call ${call.callId} started`));
runner.on("error", ({ error }) => console.error(`example-agent: ${String(error)}`));

// The one line that makes SIGTERM graceful: finish live calls (up to the drain timeout).
const stop = () => void runner.close({ drainTimeout: 5 });
process.once("SIGINT", stop);
process.once("SIGTERM", stop);

runner.run().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`example-agent: ${isUnpodError(error) ? error.message : String(error)}`);
    process.exit(1);
  },
);
