// The dev server's voice agent for one session: it hears the uplink (VAD and segmenting in
// listener.ts), decides turns, speaks replies (speaker.ts, synth.ts), detects barge-ins and
// reports the agent's state, and hands final utterances to a runner when a pipe has one.
// Slightly over 400 lines: one turn-taking state machine, read in one place.
import type { AgentState, JoinedAudio, Logger, VideoGrant } from "@unpod/core";
import { type RtcUplinkCounts, UplinkListener, type UplinkResult } from "./listener.js";
import {
  DEFAULT_SPEAKER_OPTIONS,
  type RtcSpokenTurn,
  Speaker,
  type SpeakerHost,
} from "./speaker.js";
import { SpokenTurns } from "./spokenTurns.js";
import { type ToneSegment, toneSegments } from "./synth.js";
import type { FvadModule } from "./vad.js";

/** What a {@link VoiceAgent} needs from its session. */
export interface VoiceHost extends Omit<SpeakerHost, "agentState"> {
  /** The session's current grant (audio needs `canPublish`, and `microphone` if sources are listed). */
  grant(): VideoGrant;
  /** Where to log. */
  readonly logger: Logger;
  /**
   * A final utterance: whether an agent (a runner, an HTTP endpoint) answers it. When one
   * does, the built-in reply is not sent; the agent's words arrive through
   * {@link VoiceAgent.streamReply} or as a spoken `agent_reply`.
   */
  agentTurn?(turnId: string, text: string): boolean;
  /**
   * The user interrupted turn `turnId` (a barge-in, or the client's `interrupt`):
   * `heardPrefix` is the words they heard of it (`undefined` for a turn without words).
   */
  agentInterrupted?(turnId: string, heardPrefix: string | undefined): void;
  /** The agent's state changed (what `agent_state` says). */
  agentStateChanged?(state: AgentState, turnId: string | undefined): void;
}

/** Formats and limits of a session's voice. */
export interface VoiceAgentConfig {
  /** The formats `joined.audio` announces. */
  audio: JoinedAudio;
  /** The WebRTC VAD module, from `loadVad()`. */
  vad: FvadModule;
  /** Uplink audio kept for `GET /__dev/rtc/audio`, in bytes (the newest kept). */
  maxUplinkBytes: number;
}

/** A voice session's state, as `server.rtc.sessions()` shows it. */
export interface RtcVoiceInfo {
  /** Whether the current connection negotiated audio. */
  active: boolean;
  /** Whether the client said it is muted. */
  muted: boolean;
  /** Whether the VAD hears the user now. */
  userSpeaking: boolean;
  /** The last `agent_state` sent. */
  agentState: AgentState;
  /** The latest spoken turns, oldest first. */
  turns: RtcSpokenTurn[];
  /** The uplink audio's byte counts. */
  uplink: RtcUplinkCounts;
}

/** How long the agent "thinks" between the end of the user's speech and its reply. */
export const THINKING_MS = 300;

/**
 * Text of the `user_turn` for an utterance (there is no recognizer: it says what it heard).
 * The duration runs from the first voiced frame to the last one the WebRTC VAD marked, which
 * includes the detector's own hangover of about 0.1 s: 1.4 s of tone reads as `1.5 s`.
 */
export function heardText(durationMs: number): string {
  return `(speech, ${(durationMs / 1000).toFixed(1)} s)`;
}

/** The agent's answer to an utterance. */
export function replyText(durationMs: number): string {
  return `I heard ${(durationMs / 1000).toFixed(1)} seconds of speech.`;
}

/**
 * One session's voice: hears the uplink (an {@link UplinkListener}), answers each utterance,
 * speaks agent replies (a {@link Speaker}), and follows the client's `mute`, `interrupt` and
 * `playback` frames. It sends through its host; frames it sends get a `seq` and are replayed
 * after a resume, binary audio never is.
 *
 * Uplink, per accepted frame: `user_speech {speaking: true}` when an utterance starts (and,
 * if the agent is speaking a turn, `interrupt {turn_id, reason: "barge_in"}` then
 * `agent_state {listening}`); when it ends, `user_speech {speaking: false}`,
 * `user_turn {turn_id: "voice-N", text: "(speech, 1.4 s)", final: true}`,
 * `agent_state {thinking, turn_id}`, and {@link THINKING_MS} later
 * `agent_reply {text: "I heard 1.4 seconds of speech."}`, spoken like any reply. An
 * utterance also ends when the client mutes, the socket drops, or no frame arrives for the
 * hysteresis' end window.
 */
export class VoiceAgent {
  readonly #host: VoiceHost;
  readonly #config: VoiceAgentConfig;
  readonly #listener: UplinkListener;
  readonly #speaker: Speaker;
  #active = false;
  #state: { state: AgentState; turnId: string | undefined } = {
    state: "idle",
    turnId: undefined,
  };
  #utterances = 0;
  #thinking: unknown;
  /** An utterance handed to an agent that has not started speaking its answer. */
  #agentTurn: string | undefined;
  readonly #spoken: SpokenTurns;
  #disposed = false;

  /**
   * @param host - Sending, clock, grant, logger.
   * @param config - Formats, the VAD module, the uplink cap.
   */
  constructor(host: VoiceHost, config: VoiceAgentConfig) {
    this.#host = host;
    this.#config = config;
    this.#spoken = new SpokenTurns(config.audio.output.sample_rate);
    this.#listener = new UplinkListener(
      {
        grant: () => host.grant(),
        clock: host.clock,
        speechStarted: () => this.#startUtterance(),
        speechEnded: (durationMs) => this.#endUtterance(durationMs),
      },
      { input: config.audio.input, vad: config.vad, maxUplinkBytes: config.maxUplinkBytes },
    );
    this.#speaker = new Speaker(
      {
        send: (frame) => host.send(frame),
        sendAudio: (pcm) => host.sendAudio(pcm),
        agentState: (state, turnId) => this.#agentState(state, turnId),
        clock: host.clock,
      },
      { ...DEFAULT_SPEAKER_OPTIONS, sampleRate: config.audio.output.sample_rate },
    );
  }

  /** Whether the current connection carries audio. */
  get active(): boolean {
    return this.#active;
  }

  /** The turn the agent is speaking (or the client may still be playing), if any. */
  get speakingTurn(): string | undefined {
    return this.#speaker.currentTurn;
  }

  /** Whether a reply or `say` would be spoken now rather than refused (queue full). */
  get canSpeak(): boolean {
    return this.#speaker.canQueue;
  }

  /** A connection that negotiated audio is attached: `agent_state {listening}` if it was idle. */
  activate(): void {
    if (this.#active || this.#disposed) return;
    this.#active = true;
    this.#agentState("listening");
  }

  /**
   * A connection without audio is attached (a resume that did not ask for it): the agent
   * stops speaking (`interrupt {reason: "server"}`), an utterance in progress is cut
   * (`user_speech {speaking: false}`, no turn), and the agent is `idle`.
   */
  deactivate(): void {
    if (!this.#active) return;
    this.#active = false;
    this.#speaker.interrupt("server");
    this.#cancelThinking();
    this.#agentTurn = undefined;
    if (this.#listener.cut()) this.#host.send({ type: "user_speech", speaking: false });
    this.#agentState("idle");
  }

  /** The socket dropped: the utterance in progress ends (its turn is answered into the buffer). */
  socketDropped(): void {
    this.#listener.flush();
  }

  /**
   * Takes one uplink binary frame (the caller has checked it is at most 8 KiB and that the
   * connection negotiated audio).
   *
   * @param frame - The PCM bytes.
   * @returns What to answer.
   */
  receive(frame: Uint8Array): UplinkResult {
    return this.#listener.receive(frame);
  }

  /**
   * The client's `mute`: while muted, audio frames are ignored (not recorded, not heard) and
   * muting ends an utterance in progress.
   *
   * @param muted - From the frame.
   */
  mute(muted: boolean): void {
    this.#listener.mute(muted);
  }

  /**
   * The client's `interrupt`: always answered with `interrupt {turn_id, reason: "client"}`
   * for the client's turn, and whatever the agent is speaking stops (if it is another turn,
   * that one gets its own `interrupt {reason: "client"}`), then `agent_state {listening}`.
   *
   * @param turnId - From the frame.
   * @param playedMs - From the frame.
   */
  clientInterrupt(turnId: string, playedMs: number): void {
    const heard = this.#spoken.heard(turnId, playedMs);
    this.#spoken.close(turnId);
    if (this.#speaker.currentTurn === turnId) {
      this.#speaker.interrupt("client", playedMs);
    } else {
      this.#host.send({ type: "interrupt", turn_id: turnId, reason: "client" });
      this.#speaker.interrupt("client");
    }
    this.#host.agentInterrupted?.(turnId, heard);
  }

  /**
   * The client's `playback`: recorded; it ends the agent's speaking when it is for the turn
   * just sent.
   *
   * @param turnId - From the frame.
   * @param playedMs - From the frame.
   */
  playback(turnId: string, playedMs: number): void {
    this.#speaker.playback(turnId, playedMs);
  }

  /**
   * Speaks an `agent_reply` that has been sent (the echo agent's, `server.rtc.push()`'s):
   * one tone burst per word. Does nothing while no audio connection is attached.
   *
   * @param turnId - The reply's turn.
   * @param text - The reply's text.
   * @returns Whether the reply is being spoken or queued (not: no audio connection, no word
   *   in the text, or the speech queue is full).
   */
  speakReply(turnId: string, text: string): boolean {
    if (!this.#active) return false;
    const step = this.#spoken.next(turnId, text, true);
    return step !== undefined && this.#speak(turnId, step.tones.segments);
  }

  /**
   * Speaks an agent turn as its text streams in (a runner's deltas): each complete word is
   * queued as it arrives, the rest when `final`. The turn stays open — the agent
   * `speaking` — until then, even while the words run out. Does nothing while no audio
   * connection is attached, or for a turn that was interrupted.
   *
   * @param turnId - The turn.
   * @param text - Its whole text so far.
   * @param final - Whether the text is complete.
   */
  streamReply(turnId: string, text: string, final: boolean): void {
    if (!this.#active) return;
    const step = this.#spoken.next(turnId, text, final);
    if (!step) return;
    const { segments } = step.tones;
    if (!step.first) {
      if (!this.#speaker.append(turnId, segments, final)) this.#spoken.close(turnId);
      return;
    }
    if (segments.length === 0) {
      if (!final) return; // no complete word yet
      // An empty answer: the agent is done thinking.
      if (this.#agentTurn === turnId) {
        this.#agentTurn = undefined;
        this.#agentState("listening");
      }
      return;
    }
    if (this.#agentTurn === turnId) this.#agentTurn = undefined;
    if (!this.#speaker.speak(turnId, segments, !final)) {
      this.#spoken.close(turnId);
      this.#host.logger.warn?.("rtc voice: speech queue full, turn not spoken", { turnId });
    }
  }

  /**
   * Makes the agent say something (the admin `say`): `agent_reply` with `text` when given,
   * and audio: a pure tone at `toneHz` for `durationMs`, or else the text's word tones.
   *
   * @param turnId - The new turn's id.
   * @param request - Validated by the caller.
   * @returns Whether the turn is being spoken or queued (`false`: no audio connection, or
   *   the speech queue is full; nothing was sent).
   */
  say(turnId: string, request: { text?: string; toneHz?: number; durationMs: number }): boolean {
    if (!this.#active || !this.#speaker.canQueue) return false;
    if (request.text !== undefined) {
      this.#host.send({ type: "agent_reply", turn_id: turnId, text: request.text, final: true });
    }
    const rate = this.#config.audio.output.sample_rate;
    const segments =
      request.toneHz === undefined
        ? (this.#spoken.next(turnId, request.text ?? "", true)?.tones.segments ?? [])
        : toneSegments(request.toneHz, request.durationMs, rate);
    return this.#speak(turnId, segments);
  }

  /**
   * Interrupts the turn being spoken as a barge-in would (`interrupt {reason: "barge_in"}`).
   *
   * @returns The interrupted turn, or `undefined` when the agent was silent.
   */
  bargeIn(): string | undefined {
    return this.#interruptSpeech();
  }

  /** A barge-in: the turn being spoken stops, and its agent hears what was heard of it. */
  #interruptSpeech(): string | undefined {
    const turnId = this.#speaker.currentTurn;
    if (turnId === undefined) return undefined;
    const heard = this.#spoken.heard(turnId, this.#speaker.playedEstimateMs() ?? 0);
    this.#spoken.close(turnId);
    this.#speaker.interrupt("barge_in");
    this.#host.agentInterrupted?.(turnId, heard);
    return turnId;
  }

  /**
   * The uplink audio kept so far.
   *
   * @returns A WAV file at the input rate, mono, PCM16.
   */
  uplinkWav(): Uint8Array<ArrayBuffer> {
    return this.#listener.wav();
  }

  /** @returns The session's voice state. */
  info(): RtcVoiceInfo {
    return {
      active: this.#active,
      muted: this.#listener.muted,
      userSpeaking: this.#listener.speaking,
      agentState: this.#state.state,
      turns: this.#speaker.turns,
      uplink: this.#listener.counts,
    };
  }

  /** The session ended: timers stopped, the VAD's WASM memory released. Sends nothing. */
  dispose(): void {
    this.#disposed = true;
    this.#active = false;
    this.#agentTurn = undefined;
    this.#speaker.dispose();
    this.#cancelThinking();
    this.#listener.free();
  }

  #speak(turnId: string, segments: readonly ToneSegment[]): boolean {
    if (!this.#active || segments.length === 0) return false;
    if (this.#speaker.speak(turnId, segments)) return true;
    this.#host.logger.warn?.("rtc voice: speech queue full, turn not spoken", { turnId });
    return false;
  }

  #agentState(state: AgentState, turnId?: string): void {
    if (this.#state.state === state && this.#state.turnId === turnId) return;
    this.#state = { state, turnId };
    this.#host.agentStateChanged?.(state, turnId);
    this.#host.send(
      turnId === undefined
        ? { type: "agent_state", state }
        : { type: "agent_state", state, turn_id: turnId },
    );
  }

  #cancelThinking(): void {
    if (this.#thinking === undefined) return;
    this.#host.clock.clearTimeout(this.#thinking);
    this.#thinking = undefined;
  }

  #startUtterance(): void {
    this.#host.send({ type: "user_speech", speaking: true });
    if (this.#thinking !== undefined) {
      // The user went on talking: this reply is dropped; the next utterance gets one.
      this.#cancelThinking();
      this.#agentState("listening");
    }
    const answering = this.#agentTurn;
    if (answering !== undefined) {
      // An agent is still working on its answer: nothing of it was heard.
      this.#agentTurn = undefined;
      this.#spoken.close(answering);
      if (this.#speaker.currentTurn === undefined) this.#agentState("listening");
      this.#host.agentInterrupted?.(answering, "");
    }
    this.#interruptSpeech();
  }

  #endUtterance(durationMs: number): void {
    this.#host.send({ type: "user_speech", speaking: false });
    this.#utterances += 1;
    const turnId = `voice-${this.#utterances}`;
    this.#host.send({
      type: "user_turn",
      turn_id: turnId,
      text: heardText(durationMs),
      final: true,
    });
    this.#agentState("thinking", turnId);
    if (this.#host.agentTurn?.(turnId, heardText(durationMs))) {
      this.#agentTurn = turnId;
      return;
    }
    this.#thinking = this.#host.clock.setTimeout(() => {
      this.#thinking = undefined;
      const text = replyText(durationMs);
      this.#host.send({ type: "agent_reply", turn_id: turnId, text, final: true });
      if (!this.speakReply(turnId, text)) this.#agentState("listening");
    }, THINKING_MS);
  }
}
