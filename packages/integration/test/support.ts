// Shared by the contract tests: a dev server per file, clients wired to record every log
// line and error, and the list of tokens the redaction scan looks for.
import { inspect } from "node:util";
import { type DevServer, startDevServer } from "@unpod/dev-server";
import { type LogFields, UnpodClient, type UnpodClientOptions } from "@unpod/node";

/** Everything the redaction scan reads: errors, clients, log lines. */
export const recorded: { errors: unknown[]; objects: unknown[]; lines: string[] } = {
  errors: [],
  objects: [],
  lines: [],
};
/** Tokens that must never show up in what was recorded. */
export const secrets = new Set<string>();

/** A token the dev server does not know (same shape as a real one). */
export const UNKNOWN_TOKEN = "f00dfeedf00dfeedf00dfeedf00dfeedf00dfeed";
secrets.add(UNKNOWN_TOKEN);

const line =
  (source: string, level: string) =>
  (message: string, fields?: LogFields | Record<string, unknown>): void => {
    recorded.lines.push(`${source} ${level} ${message} ${JSON.stringify(fields ?? {})}`);
  };

/** The client's logger: every level recorded. */
export const clientLogger = {
  debug: line("client", "debug"),
  info: line("client", "info"),
  warn: line("client", "warn"),
  error: line("client", "error"),
};

/** A dev server with fault injection whose log lines are recorded too. */
export async function startApi(): Promise<DevServer> {
  const server = await startDevServer({
    faults: true,
    logger: {
      debug: line("server", "debug"),
      info: line("server", "info"),
      warn: line("server", "warn"),
      error: line("server", "error"),
    },
  });
  secrets.add(server.credentials.apiToken);
  return server;
}

/** A client on the dev server: its credentials, the recording logger, fast backoff. */
export function clientFor(server: DevServer, options: UnpodClientOptions = {}): UnpodClient {
  const client = new UnpodClient({
    apiToken: server.credentials.apiToken,
    orgHandle: server.credentials.orgHandle,
    productId: server.credentials.productId,
    baseUrl: server.apiUrl,
    logger: clientLogger,
    retry: { initialDelay: "10ms", maxDelay: "50ms" },
    ...options,
  });
  recorded.objects.push(client);
  return client;
}

/** Awaits a promise that must reject; records and returns the error. */
export async function rejection(
  promise: PromiseLike<unknown>,
): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    recorded.errors.push(error);
    return error as Error & Record<string, unknown>;
  }
  throw new Error("expected a rejection");
}

/** Requests the dev server answered for a path (method optional), since `from`. */
export function hits(server: DevServer, path: string, method?: string, from = 0): number {
  return server.requests
    .slice(from)
    .filter(
      (r) => r.path === `/api/v2/platform/${path}` && (method === undefined || r.method === method),
    ).length;
}

/** Every way a value may be printed or shipped to a log service. */
export function renderings(value: unknown): string[] {
  const out = [inspect(value, { depth: 20, showHidden: true })];
  try {
    out.push(JSON.stringify(value) ?? "");
  } catch {
    // circular: inspect covers it
  }
  if (value instanceof Error) {
    out.push(String(value), value.stack ?? "");
    let cause: unknown = value.cause;
    for (let i = 0; i < 5 && cause !== undefined; i++) {
      out.push(inspect(cause, { depth: 20, showHidden: true }), String(cause));
      cause = (cause as { cause?: unknown }).cause;
    }
  }
  return out;
}
