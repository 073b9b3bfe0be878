import { seededRandom, seededString } from "./internal/random.js";
import type {
  AgentRecord,
  BridgeRecord,
  CallLogRecord,
  NumberRecord,
  ProviderConfigurationRecord,
  RunRecord,
  SpaceRecord,
  StoreData,
  TaskRecord,
} from "./store.js";

/** Handle of the second fixture organization. */
export const SECOND_ORG_HANDLE = "acme-labs";

const HEX = "0123456789abcdef";
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const BASE = Date.UTC(2025, 10, 3, 9, 0, 0); // 2025-11-03T09:00:00Z
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Builds the fixture data: two organizations (the first one's handle is `orgHandle`), their
 * spaces, agents, runs, tasks with transcripts, numbers, bridges, providers, provider
 * configurations and call logs. The same on every start (seeded), so tests can rely on counts.
 */
export function createFixtures(options: { orgHandle: string; productId: string }): StoreData {
  const rand = seededRandom(0x0d0d);
  const hex = (n: number) => seededString(rand, n, HEX);
  const main = options.orgHandle;
  const second = main === SECOND_ORG_HANDLE ? `${SECOND_ORG_HANDLE}-2` : SECOND_ORG_HANDLE;

  const organizations = [
    {
      id: 1,
      name: "Unpod Dev",
      token: seededString(rand, 32, UPPER),
      domain: "unpod.dev",
      domain_handle: main,
      is_private_domain: false,
      role: "owner",
    },
    {
      id: 2,
      name: "Acme Labs",
      token: seededString(rand, 32, UPPER),
      domain: "acme.example",
      domain_handle: second,
      is_private_domain: true,
      role: "editor",
    },
  ];

  const space = (id: number, org: string, name: string, description: string): SpaceRecord => ({
    id,
    name,
    slug: `${name.toLowerCase().replace(/\s+/g, "-")}-${hex(6)}`,
    token: seededString(rand, 30, UPPER),
    description,
    privacy_type: "shared",
    space_type: "general",
    content_type: "contact",
    _org: org,
  });
  const spaces = [
    space(101, main, "Sales Calls", "Outbound calls to qualified leads."),
    space(102, main, "Support Line", "Inbound support calls."),
    space(201, second, "Acme Outreach", "Appointment reminders."),
  ];
  const [sales, support, acme] = spaces as [SpaceRecord, SpaceRecord, SpaceRecord];

  const agent = (
    id: number,
    org: string,
    handle: string,
    name: string,
    purpose: string,
    state = "published",
  ): AgentRecord => ({
    id,
    handle,
    name,
    type: "Voice",
    state,
    description: `${name}: ${purpose}`,
    purpose,
    _org: org,
  });
  const agents = [
    agent(501, main, "sales-assistant", "Sales Assistant", "Qualify leads and book demos"),
    agent(502, main, "support-agent", "Support Agent", "Answer product questions"),
    agent(503, main, "draft-agent", "Draft Agent", "Not published yet", "draft"),
    agent(601, second, "acme-reminder", "Acme Reminder", "Remind customers of appointments"),
  ];

  const runs: RunRecord[] = [];
  const tasks: TaskRecord[] = [];
  const people = ["Asha Rao", "Ben Carter", "Chen Wei", "Dana Ortiz", "Eli Novak", "Fatima Khan"];
  const addRun = (
    sp: SpaceRecord,
    agentHandle: string,
    count: number,
    at: number,
    objective: string,
    status: string,
  ) => {
    const runId = `R${hex(32)}`;
    runs.push({
      run_id: runId,
      run_mode: "automatic",
      status,
      batch_count: count,
      created: iso(at),
      modified: iso(at + 3_600_000),
      _space: sp.token,
      _agent: agentHandle,
    });
    for (let i = 0; i < count; i++) {
      const created = at + i * 60_000;
      const name = people[i % people.length] as string;
      const contact = `+1415555${String(1000 + i).padStart(4, "0")}`;
      const done = status === "completed" || i % 3 !== 2;
      const duration = 40 + ((i * 17) % 200);
      tasks.push({
        task_id: `T${hex(32)}`,
        run_id: runId,
        thread_id: String(1_700_000 + tasks.length),
        task: { objective },
        input: {
          name,
          contact_number: contact,
          email: `${name.split(" ")[0]?.toLowerCase()}@example.com`,
        },
        output: done
          ? {
              call_id: `call_${hex(24)}`,
              start_time: iso(created + 5_000),
              end_time: iso(created + 5_000 + duration * 1000),
              duration,
              recording_url: `https://recordings.unpod.dev/${hex(16)}.mp3`,
              transcript: [
                {
                  role: "assistant",
                  content: `Hi ${name.split(" ")[0]}, this is ${agentHandle}. Do you have a minute?`,
                },
                { role: "user", content: i % 2 ? "Sure, go ahead." : "Yes, what is this about?" },
                { role: "assistant", content: objective },
                {
                  role: "user",
                  content: i % 2 ? "Sounds good, book me in." : "Not right now, thanks.",
                },
              ],
              post_call_data: {
                interested: i % 2 === 1,
                summary: i % 2 ? "Booked a demo." : "Not interested.",
              },
              call_type: "outbound",
              call_status: "completed",
            }
          : {},
        assignee: agentHandle,
        status: done ? "completed" : "pending",
        execution_type: "call",
        run_mode: "automatic",
        created: iso(created),
        modified: iso(created + 600_000),
        _space: sp.token,
      });
    }
  };
  addRun(
    sales,
    "sales-assistant",
    25,
    BASE,
    "Tell them about the new plan and offer a demo.",
    "completed",
  );
  addRun(
    sales,
    "sales-assistant",
    6,
    BASE + 86_400_000,
    "Follow up on last week's demo.",
    "in_progress",
  );
  addRun(
    support,
    "support-agent",
    4,
    BASE + 2 * 86_400_000,
    "Check the ticket was resolved.",
    "completed",
  );
  addRun(
    acme,
    "acme-reminder",
    3,
    BASE + 3 * 86_400_000,
    "Remind of tomorrow's appointment.",
    "completed",
  );

  const numbers: NumberRecord[] = [
    { id: 183, number: "+14155550100", active: true, _state: "ASSIGNED", _org: main },
    { id: 184, number: "+14155550101", active: true, _state: "NOT_ASSIGNED", _org: main },
    { id: 185, number: "+14155550102", active: true, _state: "NOT_ASSIGNED", _org: main },
    { id: 186, number: "+442071838750", active: true, _state: "NOT_ASSIGNED", _org: null },
    { id: 187, number: "+14155550199", active: false, _state: "NOT_ASSIGNED", _org: main },
    { id: 281, number: "+12125550123", active: true, _state: "NOT_ASSIGNED", _org: second },
  ];

  const providers = [
    {
      id: 1,
      name: "Vapi",
      description: "Voice AI platform",
      icon: "https://assets.unpod.dev/providers/vapi.png",
    },
    {
      id: 2,
      name: "LiveKit",
      description: "Open-source WebRTC SFU and SIP",
      icon: "https://assets.unpod.dev/providers/livekit.png",
    },
    {
      id: 3,
      name: "Twilio",
      description: "Programmable voice and SIP trunking",
      icon: "https://assets.unpod.dev/providers/twilio.png",
    },
    {
      id: 4,
      name: "Unpod.ai",
      description: "Unpod's own voice infrastructure",
      icon: "https://assets.unpod.dev/providers/unpod.png",
    },
  ];

  const providerConfigurations: ProviderConfigurationRecord[] = [
    {
      id: 1,
      name: "Twilio Support",
      provider: 3,
      meta_json: [{ meta_key: "region", meta_value: "us1" }],
      active: true,
      api_key: `AC${hex(32)}`,
      api_secret: hex(32),
      base_url: null,
      sip_url: "unpod-dev.pstn.twilio.com",
      _org: main,
    },
    {
      id: 2,
      name: "LiveKit Cloud",
      provider: 2,
      meta_json: {},
      active: true,
      api_key: `API${seededString(rand, 12)}`,
      api_secret: seededString(rand, 43),
      base_url: "https://unpod-dev.livekit.cloud",
      sip_url: "sip.unpod-dev.livekit.cloud",
      _org: main,
    },
    {
      id: 3,
      name: "Acme Vapi",
      provider: 1,
      meta_json: {},
      active: true,
      api_key: `sk_${hex(24)}`,
      api_secret: null,
      base_url: null,
      sip_url: null,
      _org: second,
    },
  ];

  const bridges: BridgeRecord[] = [
    {
      id: 1,
      name: "Main Line",
      slug: `main-line-${hex(6)}`,
      status: "ACTIVE",
      description: "Inbound support and outbound sales.",
      documents_status: "completed",
      region: "US",
      numbers: [
        {
          id: 1,
          number_id: 183,
          channels_count: 2,
          provider_configuration_id: 1,
          agent_id: 502,
          config_json: {},
        },
      ],
      _org: main,
      _product: options.productId,
    },
    {
      id: 2,
      name: "Sandbox",
      slug: `sandbox-${hex(6)}`,
      status: "ACTIVE",
      description: "For experiments.",
      documents_status: "pending",
      region: "IN",
      numbers: [],
      _org: main,
      _product: options.productId,
    },
    {
      id: 3,
      name: "Other Product Bridge",
      slug: `other-product-${hex(6)}`,
      status: "ACTIVE",
      description: "Belongs to another product id.",
      documents_status: "pending",
      region: "US",
      numbers: [],
      _org: main,
      _product: `${options.productId}.other`,
    },
  ];
  const mainLine = bridges[0] as BridgeRecord;

  const callLogs: CallLogRecord[] = [];
  const statuses = ["completed", "completed", "completed", "failed", "no-answer", "busy"];
  const reasons: Record<string, string> = {
    completed: "Customer Ended The Call",
    failed: "Provider Error",
    "no-answer": "No Answer",
    busy: "Busy",
  };
  for (let i = 0; i < 30; i++) {
    const start = BASE + i * 7 * 3_600_000;
    const status = statuses[i % statuses.length] as string;
    const duration = status === "completed" ? 30 + ((i * 37) % 300) + 0.25 : 0;
    const outbound = i % 3 !== 0;
    callLogs.push({
      id: 39100 + i,
      call_status: status,
      end_reason: reasons[status] as string,
      call_type: outbound ? "outbound" : "inbound",
      bridge: mainLine.id,
      agent: outbound ? { id: 501, name: "Sales Assistant" } : { id: 502, name: "Support Agent" },
      space: outbound ? { id: sales.id, name: sales.name } : { id: support.id, name: support.name },
      creation_time: iso(start + duration * 1000 + 10_000),
      start_time: iso(start),
      end_time: iso(start + duration * 1000),
      call_duration: duration,
      source_number: outbound ? "+14155550100" : `+1650555${String(2000 + i)}`,
      destination_number: outbound ? `+1650555${String(2000 + i)}` : "+14155550100",
      _org: main,
      _product: options.productId,
    });
  }
  callLogs.push({
    id: 49001,
    call_status: "completed",
    end_reason: "Customer Ended The Call",
    call_type: "outbound",
    bridge: null,
    agent: { id: 601, name: "Acme Reminder" },
    space: { id: acme.id, name: acme.name },
    creation_time: iso(BASE + 50_000),
    start_time: iso(BASE),
    end_time: iso(BASE + 40_000),
    call_duration: 40,
    source_number: "+12125550123",
    destination_number: "+12125550999",
    _org: second,
    _product: options.productId,
  });

  return {
    organizations,
    spaces,
    agents,
    tasks,
    runs,
    numbers,
    bridges,
    providers,
    providerConfigurations,
    callLogs,
  };
}
