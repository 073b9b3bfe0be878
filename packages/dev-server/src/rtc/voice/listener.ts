import type { AudioInputFormat, Clock, VideoGrant } from "@unpod/core";
import {
  DEFAULT_SEGMENTER_TIMINGS,
  type SegmentEvent,
  type SegmenterTimings,
  SpeechSegmenter,
} from "./segmenter.js";
import { type FvadModule, VoiceActivityDetector } from "./vad.js";
import { UplinkRecorder } from "./wav.js";

/** What became of one uplink binary frame. */
export type UplinkResult =
  /** Recorded and heard. */
  | { kind: "accepted" }
  /** Dropped without an answer: muted, or audio already refused once. */
  | { kind: "ignored" }
  /** Wrong size: answer `error {code: "bad_frame"}` (a protocol violation). */
  | { kind: "bad_frame"; message: string }
  /** The grant forbids audio: answer `error {code: "permission_denied"}` (this once only). */
  | { kind: "permission_denied"; message: string };

/** What an {@link UplinkListener} needs from its session. */
export interface ListenerHost {
  /** The session's current grant (audio needs `canPublish`, and `microphone` if sources are listed). */
  grant(): VideoGrant;
  /** The clock behind the stall timer. */
  readonly clock: Clock;
  /** The user started speaking. */
  speechStarted(): void;
  /** The user stopped speaking, after `durationMs` of speech. */
  speechEnded(durationMs: number): void;
}

/** Byte counts of the uplink audio (PCM, without the WAV header). */
export interface RtcUplinkCounts {
  /** Received since the session started (muted or refused audio is not counted). */
  receivedBytes: number;
  /** Kept for the WAV now. */
  keptBytes: number;
  /** Dropped from the start at the cap (`audio.maxUplinkBytes`). */
  droppedBytes: number;
}

/**
 * A session's ears: checks each uplink frame (grant, size, mute), records it (bounded), runs
 * the WebRTC VAD on it and turns the decisions into utterances with {@link SpeechSegmenter}'s
 * hysteresis, reporting starts and ends to its host. An utterance also ends when no frame
 * arrives for the hysteresis' end window (a stalled or vanished client), on {@link flush}
 * (the socket dropped) and on mute.
 */
export class UplinkListener {
  readonly #host: ListenerHost;
  readonly #input: AudioInputFormat;
  readonly #frameBytes: number;
  readonly #timings: SegmenterTimings;
  readonly #recorder: UplinkRecorder;
  readonly #vad: VoiceActivityDetector;
  readonly #segmenter: SpeechSegmenter;
  #muted = false;
  #refused = false;
  #stall: unknown;

  /**
   * @param host - Grant, clock, and where utterances go.
   * @param config - The input format, the VAD module and the uplink cap in bytes.
   */
  constructor(
    host: ListenerHost,
    config: { input: AudioInputFormat; vad: FvadModule; maxUplinkBytes: number },
  ) {
    const { input } = config;
    this.#host = host;
    this.#input = input;
    this.#frameBytes = ((input.sample_rate * input.frame_ms) / 1000) * 2;
    this.#timings = { ...DEFAULT_SEGMENTER_TIMINGS, frameMs: input.frame_ms };
    this.#recorder = new UplinkRecorder(config.maxUplinkBytes);
    this.#vad = new VoiceActivityDetector(config.vad, {
      sampleRate: input.sample_rate,
      frameMs: input.frame_ms,
    });
    this.#segmenter = new SpeechSegmenter(this.#timings);
  }

  /** Whether an utterance is in progress. */
  get speaking(): boolean {
    return this.#segmenter.speaking;
  }

  /** Whether the client said it is muted. */
  get muted(): boolean {
    return this.#muted;
  }

  /** The uplink's byte counts. */
  get counts(): RtcUplinkCounts {
    return {
      receivedBytes: this.#recorder.receivedBytes,
      keptBytes: this.#recorder.keptBytes,
      droppedBytes: this.#recorder.droppedBytes,
    };
  }

  /**
   * Takes one uplink binary frame (the caller has checked it is at most 8 KiB and that the
   * connection negotiated audio).
   *
   * @param frame - The PCM bytes.
   * @returns What to answer.
   */
  receive(frame: Uint8Array): UplinkResult {
    if (!this.#mayPublish()) {
      if (this.#refused) return { kind: "ignored" };
      this.#refused = true;
      return {
        kind: "permission_denied",
        message:
          "The token's grant does not allow sending audio (canPublish, and microphone in canPublishSources when it is set); further audio is ignored.",
      };
    }
    if (frame.byteLength !== this.#frameBytes) {
      const { sample_rate, frame_ms } = this.#input;
      return {
        kind: "bad_frame",
        message: `Audio frame of ${frame.byteLength} bytes; expected ${this.#frameBytes} (${frame_ms} ms of ${sample_rate} Hz pcm_s16le).`,
      };
    }
    if (this.#muted) return { kind: "ignored" };
    this.#recorder.add(frame);
    this.#report(this.#segmenter.push(this.#vad.isSpeech(frame)));
    this.#host.clock.clearTimeout(this.#stall);
    if (this.#segmenter.speaking) {
      this.#stall = this.#host.clock.setTimeout(() => this.flush(), this.#timings.endWindowMs);
    }
    return { kind: "accepted" };
  }

  /**
   * The client's `mute`: while muted, frames are ignored (not recorded, not heard), and
   * muting ends an utterance in progress.
   *
   * @param muted - From the frame.
   */
  mute(muted: boolean): void {
    if (muted === this.#muted) return;
    this.#muted = muted;
    if (muted) this.flush();
  }

  /** Ends an utterance in progress now (reported as usual) and starts the detector afresh. */
  flush(): void {
    this.#report(this.#segmenter.flush());
    this.#restart();
  }

  /**
   * Drops an utterance in progress without reporting its end, and starts afresh.
   *
   * @returns Whether one was in progress.
   */
  cut(): boolean {
    const cut = this.#segmenter.flush() !== undefined;
    this.#restart();
    return cut;
  }

  /**
   * The uplink audio kept so far.
   *
   * @returns A WAV file at the input rate, mono, PCM16.
   */
  wav(): Uint8Array<ArrayBuffer> {
    return this.#recorder.toWav(this.#input.sample_rate);
  }

  /** Stops the stall timer and releases the VAD's WASM memory; nothing is reported. */
  free(): void {
    this.#host.clock.clearTimeout(this.#stall);
    this.#vad.free();
  }

  #mayPublish(): boolean {
    const grant = this.#host.grant();
    if (grant.canPublish !== true) return false;
    return grant.canPublishSources === undefined || grant.canPublishSources.includes("microphone");
  }

  #restart(): void {
    this.#host.clock.clearTimeout(this.#stall);
    this.#vad.reset();
    this.#segmenter.reset();
  }

  #report(event: SegmentEvent | undefined): void {
    if (event?.type === "start") this.#host.speechStarted();
    else if (event?.type === "end") {
      this.#host.clock.clearTimeout(this.#stall);
      this.#host.speechEnded(event.durationMs);
    }
  }
}
