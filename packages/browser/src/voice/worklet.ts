// The audio worklet module: two processors, `unpod-capture` and `unpod-playback`.
//
// The module body is the function below. It runs in the AudioWorkletGlobalScope, not in the
// page, so it must be self-contained: it may use nothing from this file's scope (the source
// of the function is what gets loaded). `workletSource()` turns it into module text for a
// `blob:` URL, and the build writes the same text to `dist/voice-worklet.js` for pages whose
// Content-Security-Policy forbids `blob:` (the `workletUrl` option).

/** Name of the capture processor: mic at the context's rate → PCM16 frames at the server's. */
export const CAPTURE_PROCESSOR = "unpod-capture";
/** Name of the playback processor: PCM16 turns at the server's rate → the context's rate. */
export const PLAYBACK_PROCESSOR = "unpod-playback";

/** Messages the page sends to the capture processor. */
export type CaptureCommand = { type: "format"; rate: number; frameSamples: number };

/** Messages the capture processor sends: one frame of PCM16 (little-endian), mono. */
export interface CaptureFrame {
  type: "frame";
  /** `frameSamples` samples at `rate`, as Int16 little-endian. */
  pcm: ArrayBuffer;
  /** Context time (s) at which the frame's last input sample was captured. */
  capturedAt: number;
}

/** Messages the page sends to the playback processor. */
export type PlaybackCommand =
  | { type: "format"; rate: number; prebufferMs: number }
  /** PCM16 little-endian samples of `turnId` at the format's rate. */
  | { type: "push"; turnId: string; pcm: ArrayBuffer }
  /** The server has sent the turn's last audio: play out what is queued, then report it. */
  | { type: "end"; turnId: string }
  /** Stop now: drop everything queued, answer `cleared` with how much of the turn played. */
  | { type: "clear"; turnId: string };

/** Messages the playback processor sends. */
export type PlaybackEvent =
  /** The first sample of a turn left the processor. */
  | { type: "started"; turnId: string }
  /** A turn's audio finished playing after its `end`. */
  | { type: "finished"; turnId: string; playedMs: number }
  /** Answer to `clear`: silent from the next render quantum on. */
  | { type: "cleared"; turnId: string; playedMs: number };

/* The module. Everything it needs is declared inside it. */
function unpodAudioWorklet(): void {
  // biome-ignore lint/suspicious/noExplicitAny: the AudioWorkletGlobalScope has no TS lib
  const scope = globalThis as any;
  const rate: number = scope.sampleRate;
  /** Taps of the anti-aliasing filter in front of the capture resampler. */
  const TAPS = 31;
  /** Most audio the playback queue holds, in seconds; beyond it new audio is dropped. */
  const MAX_QUEUE_S = 30;

  /** Windowed-sinc low-pass taps at `cutoff` (a fraction of the sample rate, < 0.5). */
  function lowPass(cutoff: number): Float32Array {
    const taps = new Float32Array(TAPS);
    const mid = (TAPS - 1) / 2;
    let sum = 0;
    for (let i = 0; i < TAPS; i++) {
      const x = i - mid;
      const sinc = x === 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * x) / (Math.PI * x);
      const blackman =
        0.42 -
        0.5 * Math.cos((2 * Math.PI * i) / (TAPS - 1)) +
        0.08 * Math.cos((4 * Math.PI * i) / (TAPS - 1));
      taps[i] = sinc * blackman;
      sum += taps[i] as number;
    }
    for (let i = 0; i < TAPS; i++) taps[i] = (taps[i] as number) / sum;
    return taps;
  }

  const toInt16 = (x: number) => {
    const clipped = Math.max(-1, Math.min(1, x));
    return clipped < 0 ? clipped * 0x8000 : clipped * 0x7fff;
  };

  /**
   * Microphone → frames of exactly `frameSamples` PCM16 samples at the server's rate:
   * low-pass (when downsampling), then linear interpolation at the target positions.
   */
  class CaptureProcessor extends scope.AudioWorkletProcessor {
    // Fields are assigned in the constructor, not declared with initialisers: a bundler that
    // lowers class fields would call a helper from outside this function, which the
    // worklet scope does not have.
    declare step: number; // input samples per output sample
    declare taps: Float32Array | undefined;
    declare history: Float32Array; // the last TAPS filtered-input samples, a ring
    declare at: number; // ring position of the newest sample
    declare filtered: number; // newest filtered sample
    declare previous: number; // the filtered sample before it
    declare phase: number; // position of the next output sample, previous (0) → newest (1)
    declare frame: Int16Array;
    declare frameSamples: number;
    declare filled: number;

    constructor() {
      super();
      this.step = 1;
      this.taps = undefined;
      this.history = new Float32Array(TAPS);
      this.at = 0;
      this.filtered = 0;
      this.previous = 0;
      this.phase = 0;
      this.frame = new Int16Array(0);
      this.frameSamples = 0;
      this.filled = 0;
      this.port.onmessage = (event: MessageEvent<CaptureCommand>) => {
        const { rate: target, frameSamples } = event.data;
        this.step = rate / target;
        this.taps = this.step > 1 ? lowPass(0.45 / this.step) : undefined;
        this.frameSamples = frameSamples;
        this.frame = new Int16Array(frameSamples);
        this.filled = 0;
        this.phase = 0;
      };
    }

    filter(sample: number): number {
      const taps = this.taps;
      if (!taps) return sample;
      this.at = (this.at + 1) % TAPS;
      this.history[this.at] = sample;
      let y = 0;
      for (let i = 0; i < TAPS; i++) {
        y += (taps[i] as number) * (this.history[(this.at + TAPS - i) % TAPS] as number);
      }
      return y;
    }

    process(inputs: Float32Array[][]): boolean {
      const input = inputs[0]?.[0];
      if (!input || this.frame.length === 0) return true;
      for (let i = 0; i < input.length; i++) {
        this.previous = this.filtered;
        this.filtered = this.filter(input[i] as number);
        // Output samples that fall between the previous and the newest input sample.
        while (this.phase <= 1) {
          const value = this.previous + (this.filtered - this.previous) * this.phase;
          this.frame[this.filled++] = toInt16(value);
          this.phase += this.step;
          if (this.filled === this.frame.length) {
            const pcm = this.frame.buffer;
            // `currentTime` is the context time of this block's first sample.
            const capturedAt = scope.currentTime + (i + 1) / rate;
            this.port.postMessage({ type: "frame", pcm, capturedAt }, [pcm]);
            // The old buffer is transferred (detached, length 0): a new one of the frame size.
            this.frame = new Int16Array(this.frameSamples);
            this.filled = 0;
          }
        }
        this.phase -= 1;
      }
      return true;
    }
  }

  interface Chunk {
    turnId: string;
    samples: Float32Array;
  }

  /**
   * Agent turns → the context's rate, through a small prebuffer. `clear` silences it at the
   * next render quantum (≤ 3 ms at 48 kHz) and drops the turn's queued audio.
   */
  class PlaybackProcessor extends scope.AudioWorkletProcessor {
    declare step: number; // source samples per output sample
    declare prebuffer: number; // source samples to queue before a turn starts playing
    declare queue: Chunk[];
    declare queued: number; // source samples queued
    declare position: number; // fractional read position in queue[0]
    declare turnId: string | undefined; // the turn being played (or about to be)
    declare playing: boolean;
    declare ended: Set<string>; // turns whose `end` arrived
    declare played: number; // source samples of `turnId` played (whole chunks)
    declare sourceRate: number;

    constructor() {
      super();
      this.step = 1;
      this.prebuffer = 0;
      this.queue = [];
      this.queued = 0;
      this.position = 0;
      this.turnId = undefined;
      this.playing = false;
      this.ended = new Set();
      this.played = 0;
      this.sourceRate = 24_000;
      this.port.onmessage = (event: MessageEvent<PlaybackCommand>) => this.command(event.data);
    }

    /** How much of the current turn has been played, chunks done plus the read position. */
    playedMs(): number {
      const inChunk = this.queue[0]?.turnId === this.turnId ? Math.floor(this.position) : 0;
      return Math.round(((this.played + inChunk) * 1000) / this.sourceRate);
    }

    command(message: PlaybackCommand): void {
      switch (message.type) {
        case "format":
          this.sourceRate = message.rate;
          this.step = message.rate / rate;
          this.prebuffer = Math.round((message.prebufferMs * message.rate) / 1000);
          return;
        case "push": {
          if (this.queued > MAX_QUEUE_S * this.sourceRate) return;
          const pcm = new Int16Array(message.pcm);
          const samples = new Float32Array(pcm.length);
          for (let i = 0; i < pcm.length; i++) samples[i] = (pcm[i] as number) / 0x8000;
          if (this.turnId !== message.turnId && this.queue.length === 0) this.begin(message.turnId);
          this.queue.push({ turnId: message.turnId, samples });
          this.queued += samples.length;
          return;
        }
        case "end":
          this.ended.add(message.turnId);
          return;
        case "clear": {
          const playedMs = this.turnId === message.turnId ? this.playedMs() : 0;
          this.queue = this.queue.filter((chunk) => chunk.turnId !== message.turnId);
          this.queued = this.queue.reduce((n, chunk) => n + chunk.samples.length, 0);
          this.ended.delete(message.turnId);
          if (this.turnId === message.turnId) {
            this.turnId = undefined;
            this.playing = false;
            this.position = 0;
          }
          this.port.postMessage({ type: "cleared", turnId: message.turnId, playedMs });
          return;
        }
      }
    }

    begin(turnId: string): void {
      this.turnId = turnId;
      this.playing = false;
      this.played = 0;
      this.position = 0;
    }

    /** The turn is done: report it and move on to the next queued one, if any. */
    finish(): void {
      const turnId = this.turnId as string;
      this.port.postMessage({ type: "finished", turnId, playedMs: this.playedMs() });
      this.ended.delete(turnId);
      this.turnId = undefined;
      this.playing = false;
      const next = this.queue[0];
      if (next) this.begin(next.turnId);
    }

    process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
      const output = outputs[0]?.[0];
      if (!output) return true;
      output.fill(0);
      if (this.turnId === undefined && this.queue[0]) this.begin(this.queue[0].turnId);
      const turnId = this.turnId;
      if (turnId === undefined) return true;
      if (!this.playing) {
        // Wait for the prebuffer, unless the turn has ended (a short turn).
        if (this.queued < this.prebuffer && !this.ended.has(turnId)) return true;
        this.playing = true;
        this.port.postMessage({ type: "started", turnId });
      }
      for (let i = 0; i < output.length; i++) {
        const chunk = this.queue[0];
        if (!chunk || chunk.turnId !== turnId) {
          if (this.ended.has(turnId)) this.finish();
          return true; // underrun: silence until more arrives
        }
        const index = Math.floor(this.position);
        const frac = this.position - index;
        const a = chunk.samples[index] as number;
        const b = chunk.samples[index + 1] ?? this.queue[1]?.samples[0] ?? a;
        output[i] = a + (b - a) * frac;
        this.position += this.step;
        const whole = Math.floor(this.position);
        if (whole >= chunk.samples.length) {
          this.queue.shift();
          this.queued -= chunk.samples.length;
          this.played += chunk.samples.length;
          this.position -= chunk.samples.length;
        }
      }
      return true;
    }
  }

  scope.registerProcessor("unpod-capture", CaptureProcessor);
  scope.registerProcessor("unpod-playback", PlaybackProcessor);
}

/** The worklet module's source text. */
export function workletSource(): string {
  return `(${unpodAudioWorklet.toString()})();\n`;
}
