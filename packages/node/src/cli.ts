#!/usr/bin/env node
// The `unpod` CLI: mint, decode and verify access tokens.
//
// Exit codes: 0 success, 1 the token was refused (verify), 2 bad usage or options.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import {
  decodeToken,
  isUnpodError,
  isUnpodTokenError,
  type SipGrant,
  type UnpodTokenError,
  type VideoGrant,
} from "@unpod/core";
import { AccessToken, DEFAULT_TOKEN_TTL, MAX_TOKEN_TTL } from "./accessToken.js";
import { PACKAGE_VERSION } from "./internal/version.js";
import { DEFAULT_CLOCK_TOLERANCE, MAX_CLOCK_TOLERANCE, TokenVerifier } from "./tokenVerifier.js";

class UsageError extends Error {
  override readonly name = "UsageError";
}

const MAIN_HELP = `unpod ${PACKAGE_VERSION} — Unpod SDK command line

Usage:
  unpod token create [options]   mint an access token (prints the JWT)
  unpod token decode <jwt>       print a token's header and claims (NOT verified)
  unpod token verify <jwt>       verify a token with an API key pair
  unpod --version

Run \`unpod token <command> --help\` for the options of each command.
Credentials come from --api-key/--api-secret or UNPOD_API_KEY/UNPOD_API_SECRET
(prefer the environment: command-line flags are visible to other users in \`ps\`).
`;

const TOKEN_HELP = `Usage: unpod token <create|decode|verify> [options]

  create   mint an access token (prints the JWT)
  decode   print a token's header and claims (NOT verified)
  verify   verify a token's signature, issuer, nbf and exp

Run \`unpod token <command> --help\` for details.
`;

const CREATE_HELP = `Usage: unpod token create --identity <id> --room <room> [options]

Mints an HS256 access token (LiveKit claim layout) and prints it.

Credentials:
  --api-key <key>             API key, written to "iss"      (default: $UNPOD_API_KEY)
  --api-secret <secret>       API secret, the HMAC key        (default: $UNPOD_API_SECRET)
  --allow-weak-secret         accept a secret under 32 bytes (local development only)

Participant:
  -i, --identity <id>         identity ("sub"); required to join a room
  --name <name>               display name
  --metadata <text>           opaque metadata for your app
  --attribute <key=value>     an attribute; repeat for more
  --ttl <duration>            lifetime: seconds or "10m", "6h", "2 days"
                              (default: ${DEFAULT_TOKEN_TTL / 3600}h, max: ${MAX_TOKEN_TTL / 86400} days)

Room grant ("video"):
  -r, --room <room>           room name; implies --join
  --join / --no-join          may join the room
  --create, --list, --record, --admin
                              may create / list / record / administer rooms
  --can-publish / --no-can-publish
  --can-subscribe / --no-can-subscribe
  --can-publish-data / --no-can-publish-data
  --can-update-metadata / --no-can-update-metadata
  --sources <list>            publishable sources, comma-separated:
                              camera,microphone,screen_share,screen_share_audio
  --hidden, --recorder, --agent

SIP grant ("sip"):
  --sip-admin, --sip-call

Output:
  --json                      print {"token", "header", "claims"} instead of the bare JWT
  -h, --help                  this help

Example:
  UNPOD_API_KEY=key UNPOD_API_SECRET=... unpod token create -i user-42 -r support --ttl 10m --can-publish
`;

const DECODE_HELP = `Usage: unpod token decode <jwt | ->

Prints the token's header and claims as JSON, and when it expires, WITHOUT checking the
signature: never use the output to authorize anything. "-" (or no argument with a pipe)
reads the token from standard input.

Options:
  -h, --help                  this help
`;

const VERIFY_HELP = `Usage: unpod token verify <jwt | -> [options]

Verifies the signature (HS256 only), the issuer (the API key), "nbf" and "exp", and prints
the claims. Exits with status 1 and a message on stderr when the token is refused.

Options:
  --api-key <key>             expected issuer                (default: $UNPOD_API_KEY)
  --api-secret <secret>       its secret                     (default: $UNPOD_API_SECRET)
  --allow-weak-secret         accept a secret under 32 bytes (local development only)
  --clock-tolerance <dur>     allowed clock skew, 0…${MAX_CLOCK_TOLERANCE}s    (default: ${DEFAULT_CLOCK_TOLERANCE}s)
  --ignore-expiration         accept an expired token (everything else is still checked)
  --quiet                     print nothing on success
  -h, --help                  this help
`;

const out = (text: string) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
const printed = (text: string): 0 => {
  out(text);
  return 0;
};
const err = (text: string) => process.stderr.write(text.endsWith("\n") ? text : `${text}\n`);

function parse<T extends NonNullable<Parameters<typeof parseArgs>[0]>["options"]>(
  args: string[],
  options: T,
) {
  try {
    return parseArgs({
      args,
      options: { help: { type: "boolean", short: "h" }, ...options },
      allowPositionals: true,
      strict: true,
    });
  } catch (cause) {
    throw new UsageError((cause as Error).message);
  }
}

function readJwt(positionals: string[]): string {
  if (positionals.length > 1) throw new UsageError("expected one token");
  const arg = positionals[0];
  if (arg !== undefined && arg !== "-") return arg.trim();
  if (arg === undefined && process.stdin.isTTY)
    throw new UsageError("missing <jwt> (or pass - to read it from standard input)");
  return readFileSync(0, "utf8").trim();
}

function describeTime(seconds: number): string {
  const delta = seconds - Math.floor(Date.now() / 1000);
  const abs = Math.abs(delta);
  const span =
    abs < 120
      ? `${abs}s`
      : abs < 7200
        ? `${Math.round(abs / 60)}m`
        : abs < 172800
          ? `${Math.round(abs / 3600)}h`
          : `${Math.round(abs / 86400)}d`;
  return `${new Date(seconds * 1000).toISOString()} (${delta >= 0 ? `in ${span}` : `${span} ago`})`;
}

const FLAG_GRANTS: [flag: string, field: keyof VideoGrant][] = [
  ["join", "roomJoin"],
  ["create", "roomCreate"],
  ["list", "roomList"],
  ["record", "roomRecord"],
  ["admin", "roomAdmin"],
  ["can-publish", "canPublish"],
  ["can-subscribe", "canSubscribe"],
  ["can-publish-data", "canPublishData"],
  ["can-update-metadata", "canUpdateOwnMetadata"],
  ["hidden", "hidden"],
  ["recorder", "recorder"],
  ["agent", "agent"],
];

async function create(args: string[]): Promise<number> {
  const booleans = Object.fromEntries(
    FLAG_GRANTS.flatMap(([flag]) => [
      [flag, { type: "boolean" as const }],
      [`no-${flag}`, { type: "boolean" as const }],
    ]),
  );
  const { values, positionals } = parse(args, {
    "api-key": { type: "string" },
    "api-secret": { type: "string" },
    "allow-weak-secret": { type: "boolean" },
    identity: { type: "string", short: "i" },
    name: { type: "string" },
    metadata: { type: "string" },
    attribute: { type: "string", multiple: true },
    ttl: { type: "string" },
    room: { type: "string", short: "r" },
    sources: { type: "string" },
    "sip-admin": { type: "boolean" },
    "sip-call": { type: "boolean" },
    json: { type: "boolean" },
    ...booleans,
  });
  if (values.help) return printed(CREATE_HELP);
  if (positionals.length > 0)
    throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  const v = values as Record<string, string | boolean | string[] | undefined>;
  const attributes: Record<string, string> = {};
  for (const pair of (v.attribute as string[] | undefined) ?? []) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new UsageError(`--attribute expects key=value, got ${JSON.stringify(pair)}`);
    attributes[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const ttl = v.ttl as string | undefined;
  const token = new AccessToken({
    apiKey: v["api-key"] as string | undefined,
    apiSecret: v["api-secret"] as string | undefined,
    allowWeakSecret: v["allow-weak-secret"] === true,
    identity: v.identity as string | undefined,
    name: v.name as string | undefined,
    metadata: v.metadata as string | undefined,
    attributes: Object.keys(attributes).length > 0 ? attributes : undefined,
    ttl: ttl !== undefined && /^\d+(\.\d+)?$/.test(ttl) ? Number(ttl) : ttl,
  });
  const grant: Record<string, unknown> = {};
  if (v.room !== undefined) {
    grant.room = v.room;
    grant.roomJoin = true;
  }
  for (const [flag, field] of FLAG_GRANTS) {
    if (v[flag] === true && v[`no-${flag}`] === true)
      throw new UsageError(`--${flag} and --no-${flag} contradict each other`);
    if (v[flag] === true) grant[field] = true;
    if (v[`no-${flag}`] === true) grant[field] = false;
  }
  if (v.sources !== undefined) {
    grant.canPublishSources = (v.sources as string)
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  }
  if (Object.keys(grant).length > 0) token.addGrantChecked(grant as VideoGrant);
  const sip: SipGrant = {};
  if (v["sip-admin"] === true) sip.admin = true;
  if (v["sip-call"] === true) sip.call = true;
  if (Object.keys(sip).length > 0) token.addSIPGrant(sip);
  const jwt = await token.toJwt();
  if (v.json === true) out(JSON.stringify({ token: jwt, ...decodeToken(jwt) }, null, 2));
  else out(jwt);
  return 0;
}

function decode(args: string[]): number {
  const { values, positionals } = parse(args, {});
  if (values.help) return printed(DECODE_HELP);
  let decoded: ReturnType<typeof decodeToken>;
  try {
    decoded = decodeToken(readJwt(positionals));
  } catch (error) {
    if (!isUnpodTokenError(error)) throw error;
    err(`unpod: not a token: ${error.message} [${error.code}: ${error.reason}]`);
    return 1;
  }
  out(JSON.stringify(decoded, null, 2));
  const { exp, nbf } = decoded.claims;
  if (nbf !== undefined) err(`not before: ${describeTime(nbf)}`);
  err(`expires:    ${describeTime(exp)}`);
  err("signature NOT verified (use `unpod token verify`)");
  return 0;
}

async function verify(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    "api-key": { type: "string" },
    "api-secret": { type: "string" },
    "allow-weak-secret": { type: "boolean" },
    "clock-tolerance": { type: "string" },
    "ignore-expiration": { type: "boolean" },
    quiet: { type: "boolean", short: "q" },
  });
  if (values.help) return printed(VERIFY_HELP);
  const jwt = readJwt(positionals);
  const apiKey = (values["api-key"] as string | undefined) ?? process.env.UNPOD_API_KEY;
  const apiSecret = (values["api-secret"] as string | undefined) ?? process.env.UNPOD_API_SECRET;
  if (!apiKey) throw new UsageError("missing --api-key (or UNPOD_API_KEY)");
  if (!apiSecret) throw new UsageError("missing --api-secret (or UNPOD_API_SECRET)");
  const tolerance = values["clock-tolerance"] as string | undefined;
  const verifier = new TokenVerifier({
    keys: { [apiKey]: apiSecret },
    allowWeakSecret: values["allow-weak-secret"] === true,
    clockTolerance:
      tolerance !== undefined && /^\d+$/.test(tolerance) ? Number(tolerance) : tolerance,
  });
  try {
    const claims = await verifier.verify(jwt, {
      ignoreExpiration: values["ignore-expiration"] === true,
    });
    if (!values.quiet) {
      out(JSON.stringify(claims, null, 2));
      err(
        `valid: signed by ${JSON.stringify(claims.iss)}${claims.sub ? ` for ${JSON.stringify(claims.sub)}` : ""}, expires ${describeTime(claims.exp)}`,
      );
    }
    return 0;
  } catch (error) {
    if (!isUnpodTokenError(error)) throw error;
    err(`unpod: token refused: ${explain(error, jwt)}`);
    return 1;
  }
}

function explain(error: UnpodTokenError, jwt: string): string {
  const where = error.claim ? `, claim ${error.claim}` : "";
  let detail = "";
  try {
    const { claims } = decodeToken(jwt);
    if (error.code === "token_expired") detail = ` It expired at ${describeTime(claims.exp)}.`;
    if (error.code === "token_not_yet_valid" && claims.nbf !== undefined)
      detail = ` It becomes valid at ${describeTime(claims.nbf)}.`;
    if (error.reason === "unknown_key") detail = ` It names API key ${JSON.stringify(claims.iss)}.`;
  } catch {
    // malformed: nothing more to say
  }
  return `${error.message} [${error.code}: ${error.reason}${where}]${detail}`;
}

async function main(argv: string[]): Promise<number> {
  const [group, command, ...rest] = argv;
  if (group === "--version" || group === "-v") return printed(PACKAGE_VERSION);
  if (group === undefined || group === "--help" || group === "-h" || group === "help")
    return printed(MAIN_HELP);
  if (group !== "token") throw new UsageError(`unknown command ${JSON.stringify(group)}`);
  if (command === undefined || command === "--help" || command === "-h" || command === "help")
    return printed(TOKEN_HELP);
  if (command === "create") return create(rest);
  if (command === "decode") return decode(rest);
  if (command === "verify") return verify(rest);
  throw new UsageError(`unknown command "token ${command}"`);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      err(`unpod: ${error.message}\nRun \`unpod --help\` for usage.`);
    } else if (isUnpodError(error)) {
      err(`unpod: ${error.message} [${error.code}]`);
    } else {
      err(`unpod: unexpected error: ${error instanceof Error ? error.message : String(error)}`);
    }
    process.exitCode = 2;
  },
);
