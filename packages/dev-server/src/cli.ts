#!/usr/bin/env node
import { parseArgs } from "node:util";
import { isUnpodError, type Logger } from "@unpod/core";
import { createEnvFile, readEnvFile } from "./internal/envFile.js";
import { type DevServerPipe, parsePipeFlag } from "./orchestrator/pipes.js";
import { type DevServer, startDevServer } from "./server.js";

const HELP = `Usage: unpod-dev-server [options]

A local Unpod server: the platform REST API (in-memory data) and the real-time endpoint.

Options:
  -p, --port <n>         port to listen on (default 7880; 0 = any free port)
      --host <host>      interface to listen on (default 127.0.0.1)
      --api-token <t>    API token to accept (default: a fresh random one)
      --api-key <k>      API key for access tokens (with --api-secret; default: fresh pair)
      --api-secret <s>   API secret, at least 32 characters
      --org-handle <h>   Org-Handle of the first organization (default unpod-dev)
      --product-id <p>   Product-ID of the fixture data (default unpod.dev)
      --resume-window <d> resume window, e.g. 30s (default 30s)
      --pipe <id>=<agent> a pipe served by runners of <agent> (@unpod/agent), or with
                         <id>=<http(s) URL> by that HTTP agent endpoint; repeatable.
                         Sessions whose room is a pipe's id go to it, others to the
                         fixture pipe dev-pipe=dev-agent (replaced by --pipe dev-pipe=…)
      --dotenv <path>    read UNPOD_* credentials from this dotenv file (e.g. .env); when
                         it does not exist, create it (mode 0600) with this run's credentials
      --faults           enable fault injection and the /__dev admin routes (loopback only)
      --json             print one JSON line with the URLs and credentials instead of text
  -v, --verbose          log every request and session event
  -h, --help             show this help

Credentials: the flags above, else UNPOD_API_TOKEN, UNPOD_API_KEY + UNPOD_API_SECRET,
UNPOD_ORG_HANDLE and UNPOD_PRODUCT_ID from the environment, else from --dotenv, else
fresh random ones on every start. Keep them stable (e.g. --dotenv .env, the file your
backend reads) so a restarted dev server still accepts your backend's tokens.
The credentials printed are for local development only.`;

async function main(): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse();
  } catch (error) {
    console.error(`unpod-dev-server: ${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  const v = args.values;
  if (v.help) {
    console.log(HELP);
    return 0;
  }
  const port = v.port === undefined ? 7880 : Number(v.port);
  if (!Number.isSafeInteger(port) || port < 0 || port > 65535) {
    console.error(
      `unpod-dev-server: --port must be an integer 0 … 65535, got ${JSON.stringify(v.port)}`,
    );
    return 2;
  }
  if ((v["api-key"] === undefined) !== (v["api-secret"] === undefined)) {
    console.error("unpod-dev-server: give --api-key and --api-secret together");
    return 2;
  }
  const logger: Logger | undefined = v.verbose
    ? {
        info: (m, f) => console.error(`[dev-server] ${m}${f ? ` ${JSON.stringify(f)}` : ""}`),
        warn: (m, f) => console.error(`[dev-server] warn: ${m}${f ? ` ${JSON.stringify(f)}` : ""}`),
        error: (m, f) =>
          console.error(`[dev-server] error: ${m}${f ? ` ${JSON.stringify(f)}` : ""}`),
      }
    : {
        error: (m, f) =>
          console.error(`[dev-server] error: ${m}${f ? ` ${JSON.stringify(f)}` : ""}`),
      };

  let pipes: DevServerPipe[] | undefined;
  try {
    pipes = v.pipe?.map(parsePipeFlag);
  } catch (error) {
    console.error(`unpod-dev-server: ${isUnpodError(error) ? error.message : String(error)}`);
    return 2;
  }

  const envFile = v.dotenv;
  let fileVars: Record<string, string> | undefined;
  if (envFile !== undefined) {
    try {
      fileVars = readEnvFile(envFile);
    } catch (error) {
      console.error(`unpod-dev-server: ${isUnpodError(error) ? error.message : String(error)}`);
      return 1;
    }
  }

  let server: DevServer;
  try {
    server = await startDevServer({
      port,
      host: v.host,
      apiTokens: v["api-token"] === undefined ? undefined : [v["api-token"]],
      keys:
        v["api-key"] === undefined || v["api-secret"] === undefined
          ? undefined
          : { [v["api-key"]]: v["api-secret"] },
      orgHandle: v["org-handle"],
      productId: v["product-id"],
      resumeWindow: v["resume-window"],
      pipes,
      faults: v.faults,
      logger,
      // Like `node --env-file`: the real environment wins over the file. (The flag cannot be
      // called --env-file: Node 20 reads that one even after the script name.)
      env: { ...fileVars, ...process.env },
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") {
      console.error(
        `unpod-dev-server: port ${port} is in use; pick another with --port (0 = any free port)`,
      );
    } else {
      console.error(`unpod-dev-server: ${isUnpodError(error) ? error.message : String(error)}`);
    }
    return 1;
  }

  // The one place credentials are printed, on purpose: they are dev-only values. Secrets
  // that came from the environment or the env file are not repeated (they may be real).
  const c = server.credentials;
  const vars: Record<string, string> = {
    UNPOD_BASE_URL: server.apiUrl,
    UNPOD_SERVER_URL: server.rtcUrl,
    UNPOD_API_TOKEN: c.apiToken,
    UNPOD_API_KEY: c.apiKey,
    UNPOD_API_SECRET: c.apiSecret,
    UNPOD_ORG_HANDLE: c.orgHandle,
    UNPOD_PRODUCT_ID: c.productId,
  };
  /** Where a credential came from: its flag, the environment, the env file, or nowhere (fresh). */
  const origin = (name: string, flag: keyof typeof v): string => {
    if (v[flag] !== undefined) return "flag";
    if (process.env[name]) return "the environment";
    if (envFile !== undefined && fileVars?.[name]) return envFile;
    return "fresh";
  };
  let created = false;
  if (envFile !== undefined && fileVars === undefined) {
    try {
      createEnvFile(envFile, vars, [
        "Credentials of the local Unpod dev server, written by `unpod-dev-server --dotenv`.",
        "Local development only: keep this file out of git (add it to .gitignore).",
      ]);
      created = true;
    } catch (error) {
      console.error(`unpod-dev-server: ${isUnpodError(error) ? error.message : String(error)}`);
      await server.close();
      return 1;
    }
  }
  const stopped = untilSignal(server, v.json === true);
  if (v.json) {
    console.log(
      JSON.stringify({
        url: server.url,
        apiUrl: server.apiUrl,
        rtcUrl: server.rtcUrl,
        credentials: { ...c },
        ...(v.faults ? { adminSecret: server.adminSecret } : {}),
      }),
    );
  } else {
    const secret = (name: string, flag: keyof typeof v) => {
      const from = origin(name, flag);
      const shown = from === "flag" || from === "fresh" ? vars[name] : `(from ${from})`;
      return `  ${name}=${shown}`;
    };
    const footer = created
      ? [`Wrote them to ${envFile}: start with --dotenv ${envFile} again to keep them.`]
      : origin("UNPOD_API_KEY", "api-key") === "fresh"
        ? [
            "They are new on every start. To keep them, start with --dotenv .env (the file",
            "your backend loads) or set them in the environment.",
          ]
        : [];
    console.log(
      [
        `Unpod dev server listening on ${server.url}`,
        `  REST      ${server.apiUrl}`,
        `  realtime  ${server.rtcUrl}/v1/rtc`,
        `  runners   ${server.rtcUrl}/v1/internal/workers`,
        `  pipes     ${server.pipes.map((p) => `${p.id}=${p.agentId ?? p.agentEndpoint}`).join(", ")}`,
        "",
        "Development credentials (local use only):",
        `  UNPOD_BASE_URL=${server.apiUrl}`,
        secret("UNPOD_API_TOKEN", "api-token"),
        `  UNPOD_API_KEY=${c.apiKey}`,
        secret("UNPOD_API_SECRET", "api-secret"),
        `  UNPOD_ORG_HANDLE=${c.orgHandle}`,
        `  UNPOD_PRODUCT_ID=${c.productId}`,
        ...(v.faults ? [`  X-Dev-Admin: ${server.adminSecret}`] : []),
        "",
        ...footer,
        "Press Ctrl+C to stop.",
      ].join("\n"),
    );
  }

  return stopped;
}

/**
 * Resolves with the exit code once SIGINT or SIGTERM has closed the server: 0, or 1 when
 * closing failed, or 130 on a second signal. Installed before the ready output, so a
 * supervisor that signals as soon as it reads it never kills the process uncleanly.
 */
function untilSignal(server: DevServer, quiet: boolean): Promise<number> {
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) {
        resolve(130); // a second signal: give up waiting
        return;
      }
      stopping = true;
      if (!quiet) console.error(`\n${signal}: stopping…`);
      server.close().then(
        () => resolve(0),
        (error: unknown) => {
          console.error(`unpod-dev-server: ${String(error)}`);
          resolve(1);
        },
      );
    };
    process.on("SIGINT", () => stop("SIGINT"));
    process.on("SIGTERM", () => stop("SIGTERM"));
  });
}

function parse() {
  return parseArgs({
    options: {
      port: { type: "string", short: "p" },
      host: { type: "string" },
      "api-token": { type: "string" },
      "api-key": { type: "string" },
      "api-secret": { type: "string" },
      "org-handle": { type: "string" },
      "product-id": { type: "string" },
      "resume-window": { type: "string" },
      pipe: { type: "string", multiple: true },
      dotenv: { type: "string" },
      faults: { type: "boolean" },
      json: { type: "boolean" },
      verbose: { type: "boolean", short: "v" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: false,
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`unpod-dev-server: ${String(error)}`);
    process.exit(1);
  },
);
