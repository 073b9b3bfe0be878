import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App.js";
import { loadConfig } from "./config.js";
import "./styles.css";

const root = createRoot(document.getElementById("root") as HTMLElement);
loadConfig().then(
  (config) =>
    root.render(
      <StrictMode>
        <App config={config} />
      </StrictMode>,
    ),
  (error: unknown) =>
    root.render(
      <main className="fatal" data-testid="config-error">
        <h1>The demo backend is not reachable</h1>
        <p>{String(error)}</p>
        <p>
          Start everything with <code>pnpm demo</code> at the repository root.
        </p>
      </main>,
    ),
);
