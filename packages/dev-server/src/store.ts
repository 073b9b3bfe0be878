/**
 * The dev server's in-memory data: plain records, keyed the way the platform looks them up.
 * Handlers in `rest/` read and change it; nothing here knows about HTTP. Field names are the
 * platform's (snake_case); fields that start with `_` are internal and never serialised.
 */

/** An organization the API token's user belongs to. */
export interface OrganizationRecord {
  id: number;
  name: string;
  token: string;
  domain: string;
  domain_handle: string;
  is_private_domain: boolean;
  role: string;
}

/** A space. */
export interface SpaceRecord {
  id: number;
  name: string;
  slug: string;
  token: string;
  description: string;
  privacy_type: string;
  space_type: string;
  content_type: string;
  _org: string;
}

/** A published (or draft) agent, called "pilot" by the platform. */
export interface AgentRecord {
  id: number;
  handle: string;
  name: string;
  type: string;
  state: string;
  description: string;
  purpose: string;
  _org: string;
}

/** One transcript line. */
export interface TranscriptLine {
  role: "assistant" | "user";
  content: string;
}

/** A task's output (a finished call). */
export interface TaskOutput {
  call_id: string;
  start_time: string;
  end_time: string;
  duration: number;
  recording_url: string;
  transcript: TranscriptLine[];
  post_call_data: Record<string, unknown>;
  call_type: string;
  call_status: string;
}

/** A task. */
export interface TaskRecord {
  task_id: string;
  run_id: string;
  thread_id: string;
  task: { objective: string };
  input: Record<string, unknown>;
  output: TaskOutput | Record<string, never>;
  assignee: string;
  status: string;
  execution_type: string;
  run_mode: string;
  created: string;
  modified: string;
  _space: string;
}

/** A run (a batch of tasks created together). */
export interface RunRecord {
  run_id: string;
  run_mode: string;
  status: string;
  batch_count: number;
  created: string;
  modified: string;
  _space: string;
  _agent: string;
}

/** A telephony number. */
export interface NumberRecord {
  id: number;
  number: string;
  active: boolean;
  /** `NOT_ASSIGNED` until a bridge takes it. */
  _state: "ASSIGNED" | "NOT_ASSIGNED";
  /** Owning organization's handle; `null` for the shared pool. */
  _org: string | null;
}

/** A number attached to a bridge. */
export interface BridgeNumberRecord {
  id: number;
  number_id: number;
  channels_count: number;
  provider_configuration_id: number | null;
  agent_id: number | null;
  config_json: Record<string, unknown>;
}

/** A voice bridge. */
export interface BridgeRecord {
  id: number;
  name: string;
  slug: string;
  status: string;
  description: string;
  documents_status: string;
  region: string;
  numbers: BridgeNumberRecord[];
  _org: string;
  _product: string;
}

/** A voice-infrastructure provider. */
export interface ProviderRecord {
  id: number;
  name: string;
  description: string;
  icon: string;
}

/** Provider credentials (secrets inside: never logged). */
export interface ProviderConfigurationRecord {
  id: number;
  name: string;
  provider: number;
  meta_json: unknown;
  active: boolean;
  api_key: string | null;
  api_secret: string | null;
  base_url: string | null;
  sip_url: string | null;
  _org: string;
}

/** One call in the call log. */
export interface CallLogRecord {
  id: number;
  call_status: string;
  end_reason: string;
  call_type: string;
  bridge: number | null;
  agent: { id: number; name: string } | null;
  space: { id: number; name: string } | null;
  creation_time: string;
  start_time: string;
  end_time: string;
  call_duration: number;
  source_number: string;
  destination_number: string;
  _org: string;
  _product: string;
}

/** Everything the store holds. */
export interface StoreData {
  organizations: OrganizationRecord[];
  spaces: SpaceRecord[];
  agents: AgentRecord[];
  tasks: TaskRecord[];
  runs: RunRecord[];
  numbers: NumberRecord[];
  bridges: BridgeRecord[];
  providers: ProviderRecord[];
  providerConfigurations: ProviderConfigurationRecord[];
  callLogs: CallLogRecord[];
}

/** Strips internal `_fields` from a record. */
export function publicFields<T extends object>(record: T): Omit<T, `_${string}`> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) if (!k.startsWith("_")) out[k] = v;
  return out as Omit<T, `_${string}`>;
}

/**
 * The in-memory store. Lookups return live records; the REST handlers change them in place
 * (POST/PATCH/DELETE last for the life of the process).
 */
export class Store {
  #data: StoreData;
  #ids = new Map<string, number>();

  constructor(data: StoreData) {
    this.#data = data;
    this.#countIds();
  }

  /** Everything the store holds; read it afresh each time (`reset()` replaces it). */
  get data(): StoreData {
    return this.#data;
  }

  /** Replaces everything the store holds (`server.reset()`); ids count on from `data`'s. */
  reset(data: StoreData): void {
    this.#data = data;
    this.#countIds();
  }

  #countIds(): void {
    const { data } = this;
    const max = (xs: { id: number }[]) => xs.reduce((m, x) => Math.max(m, x.id), 0);
    this.#ids.set("bridge", max(data.bridges));
    this.#ids.set("bridgeNumber", max(data.bridges.flatMap((b) => b.numbers)));
    this.#ids.set("providerConfiguration", max(data.providerConfigurations));
  }

  /** Next id in a sequence (`bridge`, `bridgeNumber`, `providerConfiguration`). */
  nextId(kind: "bridge" | "bridgeNumber" | "providerConfiguration"): number {
    const n = (this.#ids.get(kind) ?? 0) + 1;
    this.#ids.set(kind, n);
    return n;
  }

  organization(handle: string): OrganizationRecord | undefined {
    return this.data.organizations.find((o) => o.domain_handle === handle);
  }

  space(token: string): SpaceRecord | undefined {
    return this.data.spaces.find((s) => s.token === token);
  }

  agent(handle: string): AgentRecord | undefined {
    return this.data.agents.find((a) => a.handle === handle);
  }

  run(runId: string): RunRecord | undefined {
    return this.data.runs.find((r) => r.run_id === runId);
  }

  number(id: number): NumberRecord | undefined {
    return this.data.numbers.find((n) => n.id === id);
  }

  provider(id: number): ProviderRecord | undefined {
    return this.data.providers.find((p) => p.id === id);
  }

  bridge(org: string, slug: string): BridgeRecord | undefined {
    return this.data.bridges.find((b) => b._org === org && b.slug === slug);
  }

  providerConfiguration(org: string, id: number): ProviderConfigurationRecord | undefined {
    return this.data.providerConfigurations.find((p) => p._org === org && p.id === id);
  }

  /** Removes a bridge and releases its numbers to the pool. */
  deleteBridge(bridge: BridgeRecord): void {
    for (const bn of bridge.numbers) {
      const n = this.number(bn.number_id);
      if (n) n._state = "NOT_ASSIGNED";
    }
    this.data.bridges.splice(this.data.bridges.indexOf(bridge), 1);
    for (const log of this.data.callLogs) if (log.bridge === bridge.id) log.bridge = null;
  }

  /** Removes a provider configuration and unlinks it from every bridge number. */
  deleteProviderConfiguration(config: ProviderConfigurationRecord): void {
    this.data.providerConfigurations.splice(this.data.providerConfigurations.indexOf(config), 1);
    for (const b of this.data.bridges) {
      for (const bn of b.numbers) {
        if (bn.provider_configuration_id === config.id) bn.provider_configuration_id = null;
      }
    }
  }
}
