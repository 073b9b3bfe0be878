// UnpodVoice: the public API and voice's state machine (starting, active, blocked, stopped;
// turns playing, interrupted, finished). Over 400 lines on purpose: every transition, and
// every message to and from the worklets, is here, to be read in one place; the parts that
// stand alone live beside it — the Web Audio graph (graph.ts), the worklets (worklet.ts),
// the microphone (microphone.ts), options (options.ts), turn bookkeeping (turns.ts),
// statistics (stats.ts).

import {
  type AgentState,
  AUDIO_ENCODING,
  type InterruptReason,
  isUnpodError,
  type JoinedAudio,
  type JoinedFrame,
  type SequencedServerFrame,
  UnpodArgumentError,
  UnpodAudioError,
  type UnpodError,
} from "@unpod/core";
import { invalidArgument } from "@unpod/core/internal";
import { createEmitter, type Emitter } from "../events.js";
import type { SessionLink } from "../extension.js";
import type { UnpodSession } from "../session.js";
import { createStore, type Store } from "../store.js";
import { AudioGraph } from "./graph.js";
import { audioSupport, openMicrophone } from "./microphone.js";
import {
  checkDeviceId,
  checkVolume,
  type ResolvedVoiceOptions,
  resolveVoiceOptions,
  type UnpodVoiceOptions,
} from "./options.js";
import { Stats, type VoiceStats } from "./stats.js";
import { Turns } from "./turns.js";
import type { VoiceEvents, VoiceSnapshot } from "./types.js";
import { type CaptureFrame, type PlaybackEvent, workletSource } from "./worklet.js";

/** How long a context may take to start before audio counts as blocked (autoplay policy). */
const BLOCKED_AFTER_MS = 500;

/** The inlined worklet, as a `blob:` URL made once per page. */
let inlineWorkletUrl: string | undefined;
function inlineWorklet(): string {
  inlineWorkletUrl ??= URL.createObjectURL(
    new Blob([workletSource()], { type: "text/javascript" }),
  );
  return inlineWorkletUrl;
}

/** An interrupt waiting for the playback worklet to confirm the silence. */
interface PendingInterrupt {
  /** When it was asked for (`performance.now()`). */
  at: number;
  reason: InterruptReason;
  /** `interrupt()` here: the server must be told (`interrupt {turn_id, played_ms}`). */
  fromClient: boolean;
}

/**
 * Full-duplex voice for an {@link UnpodSession}: the microphone to the agent, the agent to
 * the speaker. Attach it before `connect()`; from then on the session asks for audio on
 * every (re)connection, `connect()` — called in a user gesture — starts capture and
 * playback, and `disconnect()` releases everything (tracks, worklets, the AudioContext).
 *
 * @example
 * ```ts
 * import { UnpodSession } from "@unpod/browser";
 * import { UnpodVoice } from "@unpod/browser/voice";
 * declare const button: HTMLButtonElement;
 * const session = new UnpodSession({
 *   serverUrl: "wss://rtc.example.com",
 *   tokenSource: "https://app.example.com/api/unpod-token",
 * });
 * const voice = new UnpodVoice(session, { output: { volume: 0.8 } });
 * voice.on("agent_state", ({ state }) => {
 *   button.dataset.agent = state;
 * });
 * button.onclick = () => session.connect(); // in the click: socket, microphone, speaker
 * ```
 */
export class UnpodVoice {
  readonly #session: UnpodSession;
  readonly #link: SessionLink;
  readonly #options: ResolvedVoiceOptions;
  readonly #store: Store<VoiceSnapshot>;
  readonly #events: Emitter<VoiceEvents>;
  readonly #turns = new Turns();
  readonly #stats = new Stats();
  #graph: AudioGraph | undefined;
  #starting: Promise<void> | undefined;
  /** Bumped by every release: a start that finds it changed gives up what it built. */
  #generation = 0;
  /** The formats of the current connection (`joined.audio`). */
  #format: JoinedAudio | undefined;
  /** What the server believes about the microphone (the last `mute` it was sent). */
  #serverMuted = false;
  #serverAgentState: AgentState = "idle";
  /** The turn playing here: from its first sample to its end or its interrupt. */
  #playing: string | undefined;
  /** When each turn's first binary frame arrived (`performance.now()`, downlink latency). */
  readonly #arrivals = new Map<string, number>();
  readonly #interrupts = new Map<string, PendingInterrupt>();
  readonly #onDeviceChange = () => {
    void this.#deviceChanged();
  };

  /**
   * @param session - The session to add voice to; idle or disconnected.
   * @param options - Microphone, speaker, volume, muted, `workletUrl`.
   * @throws {@link UnpodArgumentError} naming a bad option, `session` when it is not an
   *   `UnpodSession`, or `extension` when the session is already connecting or connected.
   *   Touches no audio API (safe during server rendering).
   */
  constructor(session: UnpodSession, options: UnpodVoiceOptions = {}) {
    if (typeof (session as { use?: unknown } | null)?.use !== "function") {
      throw invalidArgument("session", "must be an UnpodSession");
    }
    this.#session = session;
    this.#options = resolveVoiceOptions(options);
    const o = this.#options;
    const report = (error: unknown) => o.logger.warn("listener threw", { error });
    this.#store = createStore<VoiceSnapshot>(
      {
        status: "idle",
        muted: o.muted,
        volume: o.volume,
        agentState: "idle",
        userSpeaking: false,
        playbackBlocked: false,
        inputDeviceId: o.input.deviceId,
        outputDeviceId: o.outputDeviceId,
        error: undefined,
      },
      report,
    );
    this.#events = createEmitter<VoiceEvents>(report);
    this.#link = session.use({
      query: { audio: AUDIO_ENCODING },
      // A microphone that cannot start stops voice (the `error` event, the snapshot's
      // `error`), not the session: text goes on, and `start()` can try again.
      start: () => (this.#options.autoStart ? this.#start().catch(() => {}) : undefined),
      joined: (frame) => this.#joined(frame),
      frame: (frame) => this.#frame(frame),
      binary: (data) => this.#binary(data),
      dropped: () => this.#set({ userSpeaking: false }),
      stopped: () => {
        this.#serverAgentState = "idle";
        void this.#release();
      },
    });
    // Bound, so they can be handed to useSyncExternalStore or a requestAnimationFrame loop.
    this.subscribe = this.subscribe.bind(this);
    this.getSnapshot = this.getSnapshot.bind(this);
    this.getInputLevel = this.getInputLevel.bind(this);
    this.getOutputLevel = this.getOutputLevel.bind(this);
  }

  /**
   * Subscribes to snapshot changes (for `useSyncExternalStore`). Bound.
   *
   * @param listener - Called after every change.
   * @returns A function that unsubscribes.
   */
  subscribe(listener: () => void): () => void {
    return this.#store.subscribe(listener);
  }

  /**
   * The current immutable snapshot: the same object until something changes. Bound.
   *
   * @returns The snapshot.
   */
  getSnapshot(): VoiceSnapshot {
    return this.#store.get();
  }

  /**
   * Listens to an event.
   *
   * @param type - `agent_state`, `interrupted`, `playback_blocked`, `device_change` or `error`.
   * @param listener - Called with the event's payload.
   * @returns A function that removes the listener.
   */
  on<K extends keyof VoiceEvents>(
    type: K,
    listener: (payload: VoiceEvents[K]) => void,
  ): () => void {
    return this.#events.on(type, listener);
  }

  /**
   * The microphone's level now: the RMS of the last ~5 ms, a full-scale sine being 1; 0 when
   * muted or stopped. Cheap enough to call every animation frame. Bound.
   *
   * @returns 0–1.
   */
  getInputLevel(): number {
    return this.#graph && !this.getSnapshot().muted ? this.#graph.inputLevel() : 0;
  }

  /**
   * The agent's level now, after the volume (as {@link UnpodVoice.getInputLevel}). Bound.
   *
   * @returns 0–1.
   */
  getOutputLevel(): number {
    return this.#graph ? this.#graph.outputLevel() : 0;
  }

  /**
   * Counters and recent latencies (uplink, downlink, interrupt-to-silence).
   *
   * @returns A copy.
   */
  getStats(): VoiceStats {
    return this.#stats.snapshot();
  }

  /**
   * Mutes or unmutes the microphone: a muted client sends no audio and tells the server
   * (`mute`).
   *
   * @param muted - Whether to mute.
   * @throws {@link UnpodArgumentError} `muted` when not a boolean.
   */
  setMuted(muted: boolean): void {
    if (typeof muted !== "boolean") throw invalidArgument("muted", "must be a boolean");
    const track = this.#graph?.track;
    if (track) track.enabled = !muted;
    this.#set({ muted });
    this.#tellMuted();
  }

  /**
   * Sets the output volume.
   *
   * @param volume - 0–1.
   * @throws {@link UnpodArgumentError} `volume` outside 0–1.
   */
  setVolume(volume: number): void {
    checkVolume("volume", volume);
    this.#graph?.setVolume(volume);
    this.#set({ volume });
  }

  /**
   * Stops the agent now: the playback queue empties at once, the turn's late audio is
   * dropped, and the server is told how much was heard (`interrupt {turn_id, played_ms}`).
   * Does nothing when the agent is not speaking.
   */
  interrupt(): void {
    const turn = this.#playing ?? this.#turns.audioTurn();
    if (turn !== undefined) this.#cutOff(turn, "client", true);
  }

  /**
   * Chooses the microphone; takes effect at once when active (no gap in the session).
   *
   * @param deviceId - A `MediaDeviceInfo.deviceId`, or `undefined` for the default.
   * @throws {@link UnpodArgumentError} `deviceId`; {@link UnpodAudioError} when the device
   *   cannot be opened (voice goes on with the previous one).
   */
  async setInputDevice(deviceId: string | undefined): Promise<void> {
    await this.#switchInput(checkDeviceId("deviceId", deviceId), "selected");
  }

  /**
   * Chooses the speaker (`setSinkId`); takes effect at once when active.
   *
   * @param deviceId - A `MediaDeviceInfo.deviceId`, or `undefined` for the default.
   * @throws {@link UnpodArgumentError} `deviceId`; {@link UnpodAudioError}
   *   `audio_not_supported` where the browser cannot choose the speaker.
   */
  async setOutputDevice(deviceId: string | undefined): Promise<void> {
    await this.#switchOutput(checkDeviceId("deviceId", deviceId), "selected");
  }

  /**
   * Starts voice — call it in a user gesture: connects an idle session (like `connect()`),
   * restarts voice after `stop()`, or unblocks audio the browser held back
   * ({@link VoiceSnapshot.playbackBlocked}).
   *
   * @returns Resolves once audio runs (or waits for a gesture, see `playbackBlocked`).
   * @throws {@link UnpodAudioError} when the microphone or audio cannot start; what
   *   `connect()` throws when it connects.
   */
  async start(): Promise<void> {
    const state = this.#session.getSnapshot().state;
    if (state === "idle" || state === "disconnected") {
      await this.#session.connect();
      // connect() goes on without audio when it failed; start() says why.
      const { status, error } = this.getSnapshot();
      if (status === "stopped" && error) throw error;
      return;
    }
    if (this.#graph) {
      await this.#unblock();
      return;
    }
    await this.#start();
  }

  /**
   * Stops voice and releases the microphone, the worklets and the AudioContext; the session
   * goes on, text only (the server is told the microphone is muted). `start()` again — in
   * a user gesture — to resume.
   */
  async stop(): Promise<void> {
    this.#tellMuted(true);
    await this.#release();
  }

  // ---- state ----

  #set(patch: Partial<VoiceSnapshot>): void {
    this.#store.set(patch);
  }

  #updateAgentState(): void {
    const previous = this.getSnapshot().agentState;
    const state: AgentState = this.#playing !== undefined ? "speaking" : this.#serverAgentState;
    if (state === previous) return;
    this.#set({ agentState: state });
    this.#events.emit("agent_state", { state, previous });
  }

  /**
   * Tells the server the microphone state if it does not know it (sent again on `joined`).
   * Stopped voice counts as muted: no audio comes.
   */
  #tellMuted(muted = this.getSnapshot().muted || this.getSnapshot().status === "stopped"): void {
    if (this.#format === undefined || muted === this.#serverMuted) return;
    try {
      this.#link.send({ type: "mute", muted });
      this.#serverMuted = muted;
    } catch {
      // not connected: the next `joined` brings it up again
    }
  }

  /** Voice stops because of `error`; the text session goes on. */
  #fail(error: UnpodError): void {
    this.#set({ error });
    this.#events.emit("error", { error, fatal: true });
    void this.#release();
  }

  // ---- starting and stopping ----

  #start(): Promise<void> {
    if (this.#starting) return this.#starting;
    if (this.#graph) return Promise.resolve();
    const unsupported = audioSupport();
    if (unsupported) {
      this.#fail(unsupported);
      return Promise.reject(unsupported);
    }
    const generation = this.#generation;
    this.#set({ status: "starting", error: undefined, playbackBlocked: false });
    const starting = this.#build(generation).finally(() => {
      if (this.#starting === starting) this.#starting = undefined;
    });
    this.#starting = starting;
    return starting;
  }

  /** Microphone first (iOS needs it before the context), then the graph, then playback. */
  async #build(generation: number): Promise<void> {
    const { input, prebufferMs, workletUrl } = this.#options;
    let stream: MediaStream | undefined;
    try {
      // Synchronously inside start(): getUserMedia is called within the user gesture.
      stream = await openMicrophone(input, this.getSnapshot().inputDeviceId);
      if (generation !== this.#generation) return;
      const graph = await AudioGraph.create({
        stream,
        workletUrl: workletUrl ?? inlineWorklet(),
        volume: this.getSnapshot().volume,
        handlers: {
          frame: (frame) => this.#captured(frame),
          playback: (event) => this.#played(event),
        },
      });
      stream = undefined; // the graph owns it now
      if (generation !== this.#generation) {
        await graph.close();
        return;
      }
      this.#graph = graph;
      this.#watchTrack();
      if (this.#format) this.#applyFormat(this.#format, prebufferMs);
      graph.context.onstatechange = () => {
        if (graph === this.#graph && graph.context.state === "running") void this.#unblock();
      };
      navigator.mediaDevices.addEventListener?.("devicechange", this.#onDeviceChange);
      const { outputDeviceId } = this.getSnapshot();
      if (outputDeviceId !== undefined) await this.#switchOutput(outputDeviceId, "selected");
      const running = await graph.resume(BLOCKED_AFTER_MS);
      if (graph !== this.#graph) return;
      this.#set({ status: running ? "active" : "starting", playbackBlocked: !running });
      if (!running) this.#events.emit("playback_blocked", { blocked: true });
      this.#tellMuted();
    } catch (cause) {
      for (const track of stream?.getTracks() ?? []) track.stop();
      const error = isUnpodError(cause)
        ? cause
        : new UnpodAudioError("audio_failed", "Audio failed to start.", { cause });
      if (generation === this.#generation) this.#fail(error);
      throw error;
    }
  }

  /** Resumes audio the autoplay policy held back (call it in a user gesture). */
  async #unblock(): Promise<void> {
    const graph = this.#graph;
    if (!graph) return;
    const running = await graph.resume(BLOCKED_AFTER_MS);
    if (graph !== this.#graph || !running) return;
    const wasBlocked = this.getSnapshot().playbackBlocked;
    this.#set({ status: "active", playbackBlocked: false });
    if (wasBlocked) this.#events.emit("playback_blocked", { blocked: false });
  }

  /** Releases every audio resource; status `stopped`. */
  async #release(): Promise<void> {
    this.#generation += 1;
    const graph = this.#graph;
    this.#graph = undefined;
    this.#playing = undefined;
    this.#arrivals.clear();
    this.#interrupts.clear();
    globalThis.navigator?.mediaDevices?.removeEventListener?.("devicechange", this.#onDeviceChange);
    this.#set({ status: "stopped", playbackBlocked: false, userSpeaking: false });
    this.#updateAgentState();
    if (graph) await graph.close();
  }

  // ---- the session's hooks ----

  #joined(frame: JoinedFrame): void {
    if (!frame.resumed) this.#serverMuted = false; // a new session starts unmuted
    if (!frame.audio) {
      this.#format = undefined;
      this.#fail(
        new UnpodAudioError("audio_unavailable", "The server did not grant audio: text only."),
      );
      return;
    }
    this.#format = frame.audio;
    if (this.#graph) this.#applyFormat(frame.audio, this.#options.prebufferMs);
    this.#tellMuted();
  }

  #applyFormat(audio: JoinedAudio, prebufferMs: number): void {
    const graph = this.#graph as AudioGraph;
    const { sample_rate: rate, frame_ms: frameMs } = audio.input;
    graph.captureFormat({ type: "format", rate, frameSamples: (rate * frameMs) / 1000 });
    graph.playback({ type: "format", rate: audio.output.sample_rate, prebufferMs });
  }

  #frame(frame: SequencedServerFrame): void {
    switch (frame.type) {
      case "audio_start": {
        const unfinished = this.#turns.start(frame.turn_id);
        if (unfinished !== undefined) this.#graph?.playback({ type: "end", turnId: unfinished });
        return;
      }
      case "audio_end":
        this.#turns.close(frame.turn_id);
        this.#graph?.playback({ type: "end", turnId: frame.turn_id });
        return;
      case "interrupt":
        // The server's answer to our own interrupt(): already silent, already reported.
        if (frame.reason === "client" && this.#turns.isClosed(frame.turn_id)) return;
        this.#cutOff(frame.turn_id, frame.reason, false);
        return;
      case "agent_state":
        this.#serverAgentState = frame.state;
        this.#updateAgentState();
        return;
      case "user_speech":
        this.#set({ userSpeaking: frame.speaking });
        return;
      case "error":
        // Refused audio is answered without `ref_seq` (there is no sequenced frame to point
        // at); the server ignores the microphone from then on, so voice stops and says why.
        if (frame.code === "permission_denied" && frame.ref_seq === undefined && this.#graph) {
          this.#fail(
            new UnpodAudioError(
              "permission_denied",
              "The token does not allow sending audio: mint it with canPublish: true.",
            ),
          );
        }
        return;
    }
  }

  #binary(data: ArrayBuffer): void {
    const turnId = this.#turns.audioTurn();
    const graph = this.#graph;
    if (turnId === undefined || graph === undefined) return;
    this.#stats.framesReceived += 1;
    if (!this.#arrivals.has(turnId)) this.#arrivals.set(turnId, performance.now());
    graph.playback({ type: "push", turnId, pcm: data });
  }

  // ---- the worklets ----

  #captured(frame: CaptureFrame): void {
    const graph = this.#graph;
    const { muted, status } = this.getSnapshot();
    if (graph && !muted && status === "active" && this.#link.sendBinary(frame.pcm)) {
      this.#stats.framesSent += 1;
      this.#stats.uplink.add((graph.context.currentTime - frame.capturedAt) * 1000);
    } else {
      this.#stats.framesDropped += 1;
    }
  }

  #played(event: PlaybackEvent): void {
    switch (event.type) {
      case "started": {
        const arrived = this.#arrivals.get(event.turnId);
        this.#arrivals.delete(event.turnId);
        if (arrived !== undefined) this.#stats.downlink.add(performance.now() - arrived);
        this.#playing = event.turnId;
        this.#updateAgentState();
        return;
      }
      case "finished":
        if (this.#playing === event.turnId) this.#playing = undefined;
        try {
          this.#link.send({ type: "playback", turn_id: event.turnId, played_ms: event.playedMs });
        } catch {
          // not connected: the server's audio_end already closed the turn on its side
        }
        this.#updateAgentState();
        return;
      case "cleared": {
        const pending = this.#interrupts.get(event.turnId);
        this.#interrupts.delete(event.turnId);
        this.#arrivals.delete(event.turnId);
        if (this.#playing === event.turnId) this.#playing = undefined;
        if (pending) {
          this.#stats.interrupt.add(performance.now() - pending.at);
          if (pending.fromClient) this.#tellInterrupt(event.turnId, event.playedMs);
          const { turnId, playedMs } = event;
          this.#events.emit("interrupted", { turnId, reason: pending.reason, playedMs });
        }
        this.#updateAgentState();
        return;
      }
    }
  }

  /** Silences a turn now and drops its late audio; the event follows the worklet's answer. */
  #cutOff(turnId: string, reason: InterruptReason, fromClient: boolean): void {
    this.#turns.close(turnId);
    const graph = this.#graph;
    if (!graph) {
      if (fromClient) this.#tellInterrupt(turnId, 0);
      this.#events.emit("interrupted", { turnId, reason, playedMs: 0 });
      return;
    }
    this.#interrupts.set(turnId, { at: performance.now(), reason, fromClient });
    graph.playback({ type: "clear", turnId });
  }

  #tellInterrupt(turnId: string, playedMs: number): void {
    try {
      this.#link.send({ type: "interrupt", turn_id: turnId, played_ms: playedMs });
    } catch {
      // not connected: the turn is over here; a resumed server has moved on too
    }
  }

  // ---- devices ----

  /** Follows the microphone's track: unplugged, it falls back to the default device. */
  #watchTrack(): void {
    const track = this.#graph?.track;
    if (!track) return;
    track.enabled = !this.getSnapshot().muted;
    track.onended = () => {
      if (this.#graph?.track === track) void this.#switchInput(undefined, "removed");
    };
  }

  async #deviceChanged(): Promise<void> {
    if (!this.#graph) return;
    let devices: MediaDeviceInfo[];
    try {
      devices = await navigator.mediaDevices.enumerateDevices();
    } catch {
      return;
    }
    const present = (kind: MediaDeviceKind, id: string | undefined) =>
      id === undefined || devices.some((d) => d.kind === kind && d.deviceId === id);
    const { inputDeviceId, outputDeviceId } = this.getSnapshot();
    if (!present("audioinput", inputDeviceId)) await this.#switchInput(undefined, "removed");
    if (!present("audiooutput", outputDeviceId)) await this.#switchOutput(undefined, "removed");
  }

  async #switchInput(deviceId: string | undefined, reason: "selected" | "removed"): Promise<void> {
    const graph = this.#graph;
    if (graph) {
      try {
        const stream = await openMicrophone(this.#options.input, deviceId);
        if (graph !== this.#graph) {
          for (const track of stream.getTracks()) track.stop();
          return;
        }
        graph.replaceStream(stream);
        this.#watchTrack();
      } catch (error) {
        if (reason === "selected") throw error;
        this.#fail(error as UnpodError); // no microphone left at all
        return;
      }
    }
    this.#set({ inputDeviceId: deviceId });
    this.#events.emit("device_change", { kind: "audioinput", deviceId, reason });
  }

  async #switchOutput(deviceId: string | undefined, reason: "selected" | "removed"): Promise<void> {
    const graph = this.#graph;
    if (graph) {
      if (!graph.canChooseSink) {
        throw new UnpodAudioError("audio_not_supported", "This browser cannot choose the speaker.");
      }
      await graph.setSink(deviceId ?? "");
    }
    this.#set({ outputDeviceId: deviceId });
    this.#events.emit("device_change", { kind: "audiooutput", deviceId, reason });
  }
}
