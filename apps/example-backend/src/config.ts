import { type Duration, UnpodArgumentError } from "@unpod/node";

/** Everything the example backend needs; {@link readConfig} builds it from the environment. */
export interface ExampleBackendConfig {
  /** API key that signs access tokens (their `iss`). From `UNPOD_API_KEY`. */
  apiKey: string;
  /** API secret, the HMAC key. From `UNPOD_API_SECRET`. Never leaves this process. */
  apiSecret: string;
  /**
   * The real-time server the browser connects to, handed to it by `GET /api/config` and the
   * token endpoint. From `UNPOD_SERVER_URL`.
   * @defaultValue `"ws://127.0.0.1:7880"` (the dev server's default port)
   */
  serverUrl: string;
  /**
   * Origins whose pages may call this backend (CORS). From `EXAMPLE_ALLOWED_ORIGINS`,
   * comma-separated.
   * @defaultValue the Vite dev and preview origins on port 5173
   */
  allowedOrigins: string[];
  /** Lifetime of the tokens minted. From `EXAMPLE_TOKEN_TTL`. @defaultValue `"10m"` */
  tokenTtl: Duration;
  /**
   * The dev server's admin secret (`X-Dev-Admin`), to drop sockets on request — the demo's
   * "simulate network drop" button. From `UNPOD_DEV_ADMIN_SECRET`; unset disables the route.
   * The secret stays here: the browser only calls `POST /api/dev/drop`.
   */
  devAdminSecret?: string | undefined;
  /** Interface to listen on. From `HOST`. @defaultValue `"127.0.0.1"` */
  host: string;
  /** Port to listen on (`0` = any free port). From `PORT`. @defaultValue 8787 */
  port: number;
}

/**
 * Reads the configuration from environment variables.
 *
 * @param env - The environment, e.g. `process.env`.
 * @returns The configuration.
 * @throws {@link UnpodArgumentError} naming the variable that is missing or invalid.
 */
export function readConfig(
  env: Readonly<Record<string, string | undefined>>,
): ExampleBackendConfig {
  const required = (name: string): string => {
    const value = env[name];
    if (!value) {
      throw new UnpodArgumentError(
        "invalid_argument",
        "is required (run `npx unpod-dev-server` and copy the credentials it prints, or use `pnpm demo`)",
        { option: name },
      );
    }
    return value;
  };
  const port = Number(env.PORT ?? 8787);
  if (!Number.isSafeInteger(port) || port < 0 || port > 65535) {
    throw new UnpodArgumentError("invalid_argument", "must be an integer 0 … 65535", {
      option: "PORT",
    });
  }
  return {
    apiKey: required("UNPOD_API_KEY"),
    apiSecret: required("UNPOD_API_SECRET"),
    serverUrl: env.UNPOD_SERVER_URL || "ws://127.0.0.1:7880",
    allowedOrigins: (env.EXAMPLE_ALLOWED_ORIGINS || "http://localhost:5173,http://127.0.0.1:5173")
      .split(",")
      .map((origin) => origin.trim())
      .filter(Boolean),
    tokenTtl: env.EXAMPLE_TOKEN_TTL || "10m",
    devAdminSecret: env.UNPOD_DEV_ADMIN_SECRET || undefined,
    host: env.HOST || "127.0.0.1",
    port,
  };
}
