import { UnpodAudioError } from "@unpod/core";
import {
  CAPTURE_PROCESSOR,
  type CaptureCommand,
  type CaptureFrame,
  PLAYBACK_PROCESSOR,
  type PlaybackCommand,
  type PlaybackEvent,
} from "./worklet.js";

/**
 * The error for a worklet that did not load, saying what to do: the inlined one (a `blob:`
 * URL) is refused by a Content-Security-Policy whose `script-src` lacks `blob:`.
 */
function workletError(url: string, cause: unknown): UnpodAudioError {
  const why = url.startsWith("blob:")
    ? ": a Content-Security-Policy without blob: in script-src refuses it; serve @unpod/browser/dist/voice-worklet.js and pass workletUrl"
    : ` from workletUrl ${url}`;
  return new UnpodAudioError("audio_failed", `The audio worklet did not load${why}.`, { cause });
}

/** Samples the level meters look at (~5 ms at 48 kHz). */
const LEVEL_WINDOW = 256;
/** Time constant of volume changes, in seconds (no clicks). */
const VOLUME_RAMP_S = 0.015;

/** What the graph reports to its owner. */
export interface GraphHandlers {
  /** A capture frame (PCM16 at the server's rate), straight from the worklet. */
  frame(frame: CaptureFrame): void;
  /** A playback event (a turn started, finished, or was cleared). */
  playback(event: PlaybackEvent): void;
}

/** What {@link AudioGraph.create} needs. */
export interface GraphSettings {
  /** The microphone. */
  stream: MediaStream;
  /** URL of the worklet module (`blob:` or the app's own file). */
  workletUrl: string;
  /** Initial volume, 0–1. */
  volume: number;
  handlers: GraphHandlers;
}

/** Root mean square of an analyser's current window, scaled so a full-scale sine is 1. */
function level(analyser: AnalyserNode, buffer: Float32Array<ArrayBuffer>): number {
  analyser.getFloatTimeDomainData(buffer);
  let sum = 0;
  for (const x of buffer) sum += x * x;
  return Math.min(1, Math.sqrt((2 * sum) / buffer.length));
}

/**
 * One voice session's Web Audio: a single AudioContext at the device's native rate
 * (`latencyHint: "interactive"`), so no browser has to convert between rates.
 *
 * ```
 * mic ─ source ─┬─ capture worklet ──(frames)──▶ page
 *               └─ input analyser
 * page ──(turns)──▶ playback worklet ─ gain ─┬─ output analyser
 *                                            └─ MediaStream destination ─ <audio> (setSinkId)
 * ```
 */
export class AudioGraph {
  readonly context: AudioContext;
  readonly #capture: AudioWorkletNode;
  readonly #playback: AudioWorkletNode;
  readonly #gain: GainNode;
  readonly #inputAnalyser: AnalyserNode;
  readonly #outputAnalyser: AnalyserNode;
  readonly #element: HTMLAudioElement;
  readonly #buffer = new Float32Array(LEVEL_WINDOW);
  #stream: MediaStream;
  #source: MediaStreamAudioSourceNode;

  private constructor(context: AudioContext, settings: GraphSettings) {
    const { stream, handlers } = settings;
    this.context = context;
    this.#stream = stream;
    this.#source = context.createMediaStreamSource(stream);
    this.#capture = new AudioWorkletNode(context, CAPTURE_PROCESSOR, {
      numberOfInputs: 1,
      numberOfOutputs: 0,
      channelCount: 1,
      channelCountMode: "explicit",
    });
    this.#capture.port.onmessage = (event: MessageEvent<CaptureFrame>) =>
      handlers.frame(event.data);
    this.#inputAnalyser = new AnalyserNode(context, { fftSize: LEVEL_WINDOW });
    this.#source.connect(this.#capture);
    this.#source.connect(this.#inputAnalyser);

    this.#playback = new AudioWorkletNode(context, PLAYBACK_PROCESSOR, {
      numberOfInputs: 0,
      numberOfOutputs: 1,
      outputChannelCount: [1],
    });
    this.#playback.port.onmessage = (event: MessageEvent<PlaybackEvent>) =>
      handlers.playback(event.data);
    this.#gain = new GainNode(context, { gain: settings.volume });
    this.#outputAnalyser = new AnalyserNode(context, { fftSize: LEVEL_WINDOW });
    const destination = context.createMediaStreamDestination();
    this.#playback.connect(this.#gain);
    this.#gain.connect(this.#outputAnalyser);
    this.#gain.connect(destination);
    // Through an <audio> element rather than context.destination, so that setSinkId can
    // choose the speaker in every browser that has it.
    this.#element = new Audio();
    this.#element.srcObject = destination.stream;
  }

  /**
   * Builds the graph on a new AudioContext. Call it after `getUserMedia` (iOS routes audio
   * wrongly when the context comes first).
   *
   * @throws {@link UnpodAudioError} `audio_failed` when the worklet does not load; whatever
   *   the context throws. The context is closed first.
   */
  static async create(settings: GraphSettings): Promise<AudioGraph> {
    const context = new AudioContext({ latencyHint: "interactive" });
    try {
      await context.audioWorklet.addModule(settings.workletUrl).catch((cause: unknown) => {
        throw workletError(settings.workletUrl, cause);
      });
      return new AudioGraph(context, settings);
    } catch (error) {
      await context.close().catch(() => {});
      throw error;
    }
  }

  /** The microphone's track (one, mono). */
  get track(): MediaStreamTrack | undefined {
    return this.#stream.getAudioTracks()[0];
  }

  /**
   * Starts the context and the `<audio>` element.
   *
   * @returns Whether audio is running (false: the browser wants a user gesture first).
   */
  async resume(waitMs: number): Promise<boolean> {
    const played = this.#element.play().then(
      () => true,
      () => false,
    );
    const resumed = this.context.resume().then(
      () => true,
      () => false,
    );
    // A context the autoplay policy holds never settles `resume()`: wait a little, then ask.
    const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), waitMs));
    const [element, context] = await Promise.all([
      Promise.race([played, timeout]),
      Promise.race([resumed, timeout]),
    ]);
    return element && context && this.context.state === "running";
  }

  /** Tells the capture worklet the server's input format. */
  captureFormat(command: CaptureCommand): void {
    this.#capture.port.postMessage(command);
  }

  /** Sends a command to the playback worklet (PCM is transferred, not copied). */
  playback(command: PlaybackCommand): void {
    if (command.type === "push") this.#playback.port.postMessage(command, [command.pcm]);
    else this.#playback.port.postMessage(command);
  }

  /** Swaps the microphone (another device) without touching the rest of the graph. */
  replaceStream(stream: MediaStream): void {
    const old = this.#stream;
    this.#source.disconnect();
    this.#source = this.context.createMediaStreamSource(stream);
    this.#source.connect(this.#capture);
    this.#source.connect(this.#inputAnalyser);
    this.#stream = stream;
    for (const track of old.getTracks()) track.stop();
  }

  setVolume(volume: number): void {
    this.#gain.gain.setTargetAtTime(volume, this.context.currentTime, VOLUME_RAMP_S);
  }

  /** Chooses the speaker (`""`: the default). */
  async setSink(deviceId: string): Promise<void> {
    await (this.#element as HTMLAudioElement & { setSinkId(id: string): Promise<void> }).setSinkId(
      deviceId,
    );
  }

  /** Whether this browser can choose the speaker. */
  get canChooseSink(): boolean {
    return typeof (this.#element as { setSinkId?: unknown }).setSinkId === "function";
  }

  inputLevel(): number {
    return level(this.#inputAnalyser, this.#buffer);
  }

  outputLevel(): number {
    return level(this.#outputAnalyser, this.#buffer);
  }

  /** Releases everything: tracks stopped, nodes disconnected, ports closed, context closed. */
  async close(): Promise<void> {
    for (const track of this.#stream.getTracks()) track.stop();
    for (const node of [this.#source, this.#capture, this.#playback, this.#gain]) node.disconnect();
    this.#capture.port.close();
    this.#playback.port.close();
    this.#element.pause();
    this.#element.srcObject = null;
    if (this.context.state !== "closed") await this.context.close().catch(() => {});
  }
}
