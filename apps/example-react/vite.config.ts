import type { ServerResponse } from "node:http";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

/**
 * Serves `/demo-config.json` — where the example backend is — from the environment at the
 * time the server starts (`EXAMPLE_BACKEND_URL`), so one build runs against a backend on any
 * port. The backend then tells the page where the real-time server is.
 */
function demoConfig(): Plugin {
  const serve = (_req: unknown, res: ServerResponse) => {
    res.setHeader("Content-Type", "application/json");
    res.setHeader("Cache-Control", "no-store");
    res.end(
      JSON.stringify({ backendUrl: process.env.EXAMPLE_BACKEND_URL ?? "http://127.0.0.1:8787" }),
    );
  };
  return {
    name: "unpod-demo-config",
    configureServer: (server) => void server.middlewares.use("/demo-config.json", serve),
    configurePreviewServer: (server) => void server.middlewares.use("/demo-config.json", serve),
  };
}

// The app imports the *built* @unpod packages (their `import` export), like any app would.
export default defineConfig({
  plugins: [react(), demoConfig()],
  server: { host: "127.0.0.1", port: 5173 },
  preview: { host: "127.0.0.1", port: 5173 },
  build: { target: "es2022", sourcemap: true },
});
