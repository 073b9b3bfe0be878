#!/usr/bin/env node
// Runs the example backend: `UNPOD_API_KEY=… UNPOD_API_SECRET=… node dist/server.js`.
import { serve } from "@hono/node-server";
import { isUnpodError } from "@unpod/node";
import { createApp } from "./app.js";
import { readConfig } from "./config.js";

let config: ReturnType<typeof readConfig>;
let app: ReturnType<typeof createApp>;
try {
  config = readConfig(process.env);
  app = createApp(config);
} catch (error) {
  console.error(`example-backend: ${isUnpodError(error) ? error.message : String(error)}`);
  process.exit(1);
}

const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, (info) => {
  console.log(`example-backend listening on http://${config.host}:${info.port}`);
});
server.on("error", (error) => {
  console.error(`example-backend: ${error.message}`);
  process.exit(1);
});

const stop = () => {
  server.close(() => process.exit(0));
  // Keep-alive connections from the page would hold close() open.
  (server as { closeAllConnections?: () => void }).closeAllConnections?.();
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
