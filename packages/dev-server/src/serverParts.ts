// The parts of a running DevServer that have an interface of their own: its credentials,
// `server.rtc` (the real-time side) and `server.workers` (the runners' orchestrator).

import type {
  AssignOptions,
  AssignResult,
  RunnerCallInfo,
  RunnerWorkerInfo,
} from "./orchestrator/types.js";
import type { PushFrame, RtcSessionInfo, RtcStats } from "./rtc/control.js";
import type { RtcUplinkAudio, SayRequest } from "./rtc/voice/voiceControl.js";

/** The development credentials a running server accepts. Dev-only values: never use them in production. */
export interface DevServerCredentials {
  /** API token for `Authorization: Token …` (REST). */
  apiToken: string;
  /** API key that signs access tokens (`iss`). */
  apiKey: string;
  /** API secret that signs access tokens. */
  apiSecret: string;
  /** `Org-Handle` of the first fixture organization. */
  orgHandle: string;
  /** `Product-ID` of the fixture bridges and call logs. */
  productId: string;
}

/** Control of the real-time side, as `server.rtc`. */
export interface DevServerRtc {
  /**
   * Counters of the real-time endpoint.
   *
   * @returns Upgrades, validations, open sockets, live sessions, refusals.
   */
  stats(): RtcStats;
  /**
   * Kills a session's socket abruptly (the client sees 1006); the session stays resumable.
   *
   * @param sessionId - `joined.session_id`.
   * @throws {@link UnpodArgumentError} `sessionId` when no such live session exists.
   */
  dropSession(sessionId: string): void;
  /** Kills every socket abruptly; every session stays resumable. */
  dropAll(): void;
  /**
   * Sends a frame on a session as if the agent had spoken: the server assigns its `seq` and
   * buffers it while the session is disconnected, so it is replayed on resume.
   *
   * @param sessionId - `joined.session_id`.
   * @param frame - `agent_reply` or `user_turn`, with `turn_id`, `text`, `final`.
   * @throws {@link UnpodArgumentError} naming `sessionId` or the bad frame field.
   */
  push(sessionId: string, frame: PushFrame): void;
  /**
   * Closes every socket with 1012 ("service restart") and keeps the sessions, like a server
   * restart that clients survive by resuming.
   *
   * @returns When every socket has closed.
   */
  restart(): Promise<void>;
  /**
   * The live sessions.
   *
   * @returns One entry per session (connected or inside its resume window).
   */
  sessions(): RtcSessionInfo[];
  /**
   * The uplink audio a voice session has received so far (what `GET /__dev/rtc/audio` serves).
   * At most `audio.maxUplinkBytes` of the newest audio are kept; muted and refused audio is
   * never recorded.
   *
   * @param sessionId - `joined.session_id`.
   * @returns The WAV (input rate, mono, PCM16) and byte counts.
   * @throws {@link UnpodArgumentError} `sessionId` when no such live session exists or it
   *   never connected with `audio=pcm_s16le`.
   * @example
   * ```ts
   * import { startDevServer } from "@unpod/dev-server";
   * declare const sessionId: string;
   * const server = await startDevServer();
   * const { wav, receivedBytes } = server.rtc.audio(sessionId);
   * ```
   */
  audio(sessionId: string): RtcUplinkAudio;
  /**
   * Makes the agent speak on a voice session now (or after the turns it is speaking): with
   * `text`, an `agent_reply` and one tone burst per word; with `tone_hz`, a pure sine for
   * `duration_ms` (and the `text`, if any, as the reply's words).
   *
   * @param sessionId - `joined.session_id`.
   * @param request - `text`, `tone_hz`, `duration_ms` (the route's JSON body).
   * @returns The new turn's id (`say-N`), as in its `audio_start`.
   * @throws {@link UnpodArgumentError} naming the bad field; or `sessionId` when no such live
   *   session exists, it has no audio connection now, or its speech queue is full.
   * @example
   * ```ts
   * import { startDevServer } from "@unpod/dev-server";
   * declare const sessionId: string;
   * const server = await startDevServer();
   * const turnId = server.rtc.say(sessionId, { tone_hz: 1000, duration_ms: 500 });
   * ```
   */
  say(sessionId: string, request: SayRequest): string;
  /**
   * Interrupts the turn the agent is speaking as a user's barge-in would:
   * `interrupt {turn_id, reason: "barge_in"}`, no more audio for it, queued turns dropped,
   * then `agent_state {listening}`.
   *
   * @param sessionId - `joined.session_id`.
   * @returns The interrupted turn's id, or `undefined` when the agent was not speaking.
   * @throws {@link UnpodArgumentError} `sessionId` when no such live session exists or it
   *   never connected with audio.
   */
  interrupt(sessionId: string): string | undefined;
}

/**
 * The dev server as Unpod's orchestrator for agent runners (`@unpod/agent`), as
 * `server.workers`: who is connected, the calls they serve, and the faults a runner test
 * needs (a forced or duplicate assignment, a cancelled job, a dropped or closed socket).
 */
export interface DevServerWorkers {
  /**
   * The runners that registered (while connected, or disconnected with calls still live).
   *
   * @returns One entry per `worker_id`.
   */
  list(): RunnerWorkerInfo[];
  /**
   * The calls runners serve or served (the latest 100 ended ones too), with their turns.
   *
   * @returns One entry per call, ended ones first.
   */
  calls(): RunnerCallInfo[];
  /**
   * Sends a `job.assign` to one runner now, whatever its load, and waits for its `job.ack`
   * (or the deadline). Without `callId` the job is a new call with no session behind it.
   *
   * @param workerId - `register.worker_id` of a connected runner.
   * @param options - Agent id, an existing call to assign again, token, deadline, metadata.
   * @returns The runner's answer and how long it took.
   * @throws {@link UnpodArgumentError} `workerId` (no such connected runner), `callId` (no
   *   such live call) or a bad option.
   * @example
   * ```ts
   * import { startDevServer } from "@unpod/dev-server";
   * const server = await startDevServer();
   * const [runner] = server.workers.list();
   * if (runner) {
   *   const ack = await server.workers.assign(runner.workerId, { agentId: "someone-else" });
   *   console.log(ack.accepted, ack.reason); // false "agent_id_mismatch"
   * }
   * ```
   */
  assign(workerId: string, options?: AssignOptions): Promise<AssignResult>;
  /**
   * Sends `job.cancel` for a live job (as when the media side fails) and ends its call.
   *
   * @param jobId - The job (`server.workers.calls()[i].jobId`).
   * @throws {@link UnpodArgumentError} `jobId` when no live call has that job.
   */
  cancel(jobId: string): void;
  /**
   * Kills a runner's control socket abruptly (it sees 1006 and reconnects); its calls go on.
   *
   * @param workerId - A connected runner.
   * @throws {@link UnpodArgumentError} `workerId`.
   */
  drop(workerId: string): void;
  /**
   * Closes a runner's control socket with a code: 4001 or 1008 are fatal to a runner, any
   * other makes it reconnect.
   *
   * @param workerId - A connected runner.
   * @param code - The close code.
   * @param reason - The close reason (at most 123 bytes).
   * @throws {@link UnpodArgumentError} `workerId`, `code` or `reason`.
   */
  close(workerId: string, code: number, reason?: string): void;
}
