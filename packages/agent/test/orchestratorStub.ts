import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";
import { until } from "./helpers.js";

// A bare orchestrator for the bridge events the dev server never sends (a partial
// transcript, an `error` of any severity and source): the control socket answers `register`
// and sends one `job.assign`; the bridge answers `hello` with `hello.ack` and `call.started`,
// then the test writes the events itself. Raw JSON on both sides, as the reference spells it.

type Frame = Record<string, unknown>;

/** One call's bridge, after the handshake: what the runner sent, and a way to send it events. */
export interface StubBridge {
  /** The runner's `hello`. */
  hello: Frame;
  /** Every frame the runner sent after `hello`, in order. */
  received: Frame[];
  /** Sends an event to the runner. */
  send(event: Frame): void;
}

/** The stub: `orchestratorUrl` for a runner, `call()` to assign it one. */
export interface OrchestratorStub {
  orchestratorUrl: string;
  /**
   * Assigns a call to the registered runner and resolves once its bridge has the call
   * started. `early` events go right behind `call.started`, in the same tick (as an
   * orchestrator sends the turns that waited for the bridge).
   */
  call(early?: Frame[]): Promise<StubBridge>;
  close(): Promise<void>;
}

const parse = (data: unknown) => JSON.parse(String(data)) as Frame;

/** Starts the stub on a free loopback port. */
export async function orchestratorStub(): Promise<OrchestratorStub> {
  const http = createServer();
  const wss = new WebSocketServer({ server: http });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const base = `ws://127.0.0.1:${(http.address() as AddressInfo).port}`;
  let control: WebSocket | undefined;
  let jobs = 0;
  const bridges = new Map<string, { early: Frame[]; started(bridge: StubBridge): void }>();

  wss.on("connection", (ws, req) => {
    const url = new URL(req.url ?? "/", base);
    if (url.pathname === "/v1/internal/workers") {
      ws.on("message", (data) => {
        if (parse(data).type !== "register") return;
        control = ws;
        ws.send(JSON.stringify({ type: "registered", transport_ack: "dial_out" }));
      });
      return;
    }
    const callId = url.pathname.slice("/bridge/".length);
    const pending = bridges.get(callId);
    if (!pending || url.searchParams.get("token") !== `token-${callId}`) {
      ws.close(4003, "unknown call");
      return;
    }
    const received: Frame[] = [];
    const send = (event: Frame) => ws.send(JSON.stringify(event));
    ws.on("message", (data) => {
      const frame = parse(data);
      if (frame.event !== "hello") {
        received.push(frame);
        return;
      }
      const ids = { session_id: `session-${callId}`, job_id: `job-${callId}`, room_id: "room-1" };
      send({
        event: "hello.ack",
        protocol_version: 2,
        negotiated_events: frame.supported_events,
        negotiated_verbs: frame.supported_verbs,
        call_id: callId,
        ...ids,
      });
      send({ event: "call.started", ...ids, metadata: {}, agent_id: "dev-agent" });
      for (const event of pending.early) send(event);
      pending.started({ hello: frame, received, send });
    });
  });

  return {
    orchestratorUrl: base,
    async call(early = []) {
      await until(() => control !== undefined, 5000, "the runner's register");
      jobs += 1;
      const callId = `CA_stub${jobs}`;
      const bridge = new Promise<StubBridge>((started) => bridges.set(callId, { early, started }));
      (control as WebSocket).send(
        JSON.stringify({
          type: "job.assign",
          job_id: `job-${callId}`,
          call_id: callId,
          agent_id: "dev-agent",
          bridge_url: `${base}/bridge/${callId}`,
          call_token: `token-${callId}`,
          assign_id: `assign-${callId}`,
          deadline_ms: 2000,
          metadata: {},
        }),
      );
      return bridge;
    },
    async close() {
      for (const ws of wss.clients) ws.terminate();
      await new Promise((resolve) => wss.close(resolve));
      await new Promise((resolve) => http.close(resolve));
    },
  };
}
