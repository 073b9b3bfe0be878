// Run-time checks of AccessToken's `kind` and `roomConfig` options: LiveKit's layout, known
// fields of the right types, so a token never carries what a LiveKit server would refuse.

import { UnpodArgumentError } from "@unpod/core";
import { invalidArgument } from "@unpod/core/internal";
import type { ParticipantKind, RoomAgentDispatch, RoomConfiguration } from "../roomConfig.js";

const KINDS: ReadonlySet<string> = new Set<ParticipantKind>([
  "standard",
  "ingress",
  "egress",
  "sip",
  "agent",
  "connector",
  "bridge",
]);

/** Most agents a room configuration dispatches. */
const MAX_AGENTS = 32;
const MAX_UINT32 = 2 ** 32 - 1;

type Check = (value: unknown, option: string) => unknown;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const string: Check = (value, option) => {
  if (typeof value !== "string") throw invalidArgument(option, "must be a string");
  return value;
};

// LiveKit's uint32 fields.
const count: Check = (value, option) => {
  if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > MAX_UINT32) {
    throw invalidArgument(option, `must be an integer between 0 and ${MAX_UINT32}`);
  }
  return value;
};

const boolean: Check = (value, option) => {
  if (typeof value !== "boolean") throw invalidArgument(option, "must be a boolean");
  return value;
};

const stringRecord: Check = (value, option) => {
  if (!isObject(value)) throw invalidArgument(option, "must be an object of strings");
  const entries = Object.entries(value);
  for (const [key, v] of entries) string(v, `${option}.${key}`);
  // fromEntries defines own properties, so a "__proto__" key stays a plain key.
  return Object.fromEntries(entries);
};

const plainObject: Check = (value, option) => {
  if (!isObject(value)) throw invalidArgument(option, "must be an object");
  return structuredClone(value);
};

/** Checks an object against a table of fields; unknown fields are refused. */
function fields(
  value: unknown,
  option: string,
  table: Readonly<Record<string, Check>>,
): Record<string, unknown> {
  if (!isObject(value)) throw invalidArgument(option, "must be an object");
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const check = Object.hasOwn(table, key) ? table[key] : undefined;
    if (check === undefined) {
      throw invalidArgument(`${option}.${key}`, "is not a field LiveKit knows here");
    }
    if (v !== undefined) out[key] = check(v, `${option}.${key}`);
  }
  return out;
}

const AGENT: Readonly<Record<string, Check>> = {
  agentName: string,
  metadata: string,
  deployment: string,
  attributes: stringRecord,
};

const agents: Check = (value, option) => {
  if (!Array.isArray(value) || value.length > MAX_AGENTS) {
    throw invalidArgument(option, `must be an array of at most ${MAX_AGENTS} agents`);
  }
  return value.map((agent, i) => fields(agent, `${option}[${i}]`, AGENT) as RoomAgentDispatch);
};

const ROOM_CONFIG: Readonly<Record<string, Check>> = {
  name: string,
  emptyTimeout: count,
  departureTimeout: count,
  maxParticipants: count,
  metadata: string,
  minPlayoutDelay: count,
  maxPlayoutDelay: count,
  syncStreams: boolean,
  agents,
  tags: stringRecord,
  egress: plainObject,
};

/**
 * The `kind` option, checked.
 *
 * @throws {@link UnpodArgumentError} `kind` for anything but one of LiveKit's kinds.
 */
export function checkKind(value: unknown): ParticipantKind | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !KINDS.has(value)) {
    throw invalidArgument("kind", `must be one of ${[...KINDS].join(", ")}`);
  }
  return value as ParticipantKind;
}

/**
 * The `roomConfig` option, checked and copied.
 *
 * @throws {@link UnpodArgumentError} naming the field (`roomConfig.emptyTimeout`, …).
 */
export function checkRoomConfig(value: unknown): RoomConfiguration | undefined {
  if (value === undefined) return undefined;
  return fields(value, "roomConfig", ROOM_CONFIG) as RoomConfiguration;
}
