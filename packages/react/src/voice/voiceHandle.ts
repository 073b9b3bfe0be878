import type { UnpodSession } from "@unpod/browser";
import { UnpodVoice, type UnpodVoiceOptions, type VoiceSnapshot } from "@unpod/browser/voice";

/** The voice actions, as {@link useVoice} returns them: stable for the provider's life. */
export interface VoiceControls {
  /**
   * Mutes or unmutes the microphone (kept until voice starts when there is none yet).
   *
   * @param muted - Whether to mute.
   */
  readonly setMuted: (muted: boolean) => void;
  /**
   * Sets the output volume (kept until voice starts when there is none yet).
   *
   * @param volume - 0–1.
   */
  readonly setVolume: (volume: number) => void;
  /** Stops the agent now (see `UnpodVoice.interrupt`). */
  readonly interrupt: () => void;
  /**
   * Starts voice — in a user gesture: connects the session when it is not connected, or
   * restarts voice after `stop()`, or unblocks audio the browser held back.
   *
   * @returns Resolves once audio runs.
   */
  readonly start: () => Promise<void>;
  /**
   * Stops voice and releases the microphone and the AudioContext; the session goes on.
   *
   * @returns Resolves once released.
   */
  readonly stop: () => Promise<void>;
}

/** The settings a voice provider can take before its voice exists. */
type Settings = Pick<VoiceSnapshot, "muted" | "volume" | "inputDeviceId" | "outputDeviceId">;

/** An idle voice's snapshot with these settings. */
const idle = (settings: Settings): VoiceSnapshot =>
  Object.freeze({
    status: "idle",
    agentState: "idle",
    userSpeaking: false,
    playbackBlocked: false,
    error: undefined,
    ...settings,
  });

/**
 * What the voice provider puts in context: the `UnpodVoice` of the provider's current
 * session (created with the session, on the client, on first use), an observable snapshot
 * that exists before it does (idle, from the options and what the app set since), and
 * stable controls.
 */
export class VoiceHandle {
  #voice: UnpodVoice | undefined;
  #options: UnpodVoiceOptions;
  /** The snapshot while there is no voice; its settings are what the next voice starts with. */
  #idle: VoiceSnapshot;
  #connect: () => Promise<void> = () => Promise.resolve();
  readonly #listeners = new Set<() => void>();
  #unsubscribe: (() => void) | undefined;
  readonly controls: VoiceControls;

  constructor(options: UnpodVoiceOptions) {
    this.#options = options;
    this.#idle = idle({
      muted: options.muted ?? false,
      volume: options.output?.volume ?? 1,
      inputDeviceId: options.input?.deviceId,
      outputDeviceId: options.output?.deviceId,
    });
    this.controls = Object.freeze({
      setMuted: (muted: boolean) =>
        this.#voice ? this.#voice.setMuted(muted) : this.#set({ muted }),
      setVolume: (volume: number) =>
        this.#voice ? this.#voice.setVolume(volume) : this.#set({ volume }),
      interrupt: () => this.#voice?.interrupt(),
      start: () => (this.#voice ? this.#voice.start() : this.#connect()),
      stop: () => this.#voice?.stop() ?? Promise.resolve(),
    });
  }

  /** The voice of the current session, once there is one. */
  get voice(): UnpodVoice | undefined {
    return this.#voice;
  }

  /** The options for the next voice (the provider's newest `voice` prop). */
  set options(options: UnpodVoiceOptions) {
    this.#options = options;
  }

  /** How `start()` connects when there is no voice yet: the provider's session controls. */
  set connect(connect: () => Promise<void>) {
    this.#connect = connect;
  }

  /** Creates the voice of a new session (the provider's `onSessionCreated`). */
  attach(session: UnpodSession): void {
    const { muted, volume, inputDeviceId, outputDeviceId } = this.getSnapshot();
    const o = this.#options;
    this.#unsubscribe?.();
    this.#voice = new UnpodVoice(session, {
      ...o,
      muted,
      input: { ...o.input, ...(inputDeviceId !== undefined && { deviceId: inputDeviceId }) },
      output: {
        ...o.output,
        volume,
        ...(outputDeviceId !== undefined && { deviceId: outputDeviceId }),
      },
    });
    this.#unsubscribe = this.#voice.subscribe(() => this.#emit());
    this.#emit();
  }

  /** Chooses a device now, or for the voice to come. */
  async setDevice(kind: "audioinput" | "audiooutput", deviceId: string | undefined): Promise<void> {
    const voice = this.#voice;
    if (kind === "audioinput") {
      if (voice) await voice.setInputDevice(deviceId);
      else this.#set({ inputDeviceId: deviceId });
    } else if (voice) await voice.setOutputDevice(deviceId);
    else this.#set({ outputDeviceId: deviceId });
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  };

  /** The voice's snapshot, or the idle one (the same object until a setting changes). */
  readonly getSnapshot = (): VoiceSnapshot => this.#voice?.getSnapshot() ?? this.#idle;

  #set(settings: Partial<Settings>): void {
    this.#idle = idle({ ...this.#idle, ...settings });
    this.#emit();
  }

  #emit(): void {
    for (const listener of [...this.#listeners]) listener();
  }
}
