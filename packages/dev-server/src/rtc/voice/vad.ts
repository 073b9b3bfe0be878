/// <reference path="./fvad-wasm.d.ts" />
import type { FvadModule } from "@echogarden/fvad-wasm";

export type { FvadModule };

/** Sample rates the WebRTC VAD accepts. */
export const VAD_SAMPLE_RATES: ReadonlySet<number> = new Set([8000, 16000, 32000, 48000]);
/** Frame lengths (ms) the WebRTC VAD accepts. */
export const VAD_FRAME_MS: ReadonlySet<number> = new Set([10, 20, 30]);
/**
 * WebRTC VAD aggressiveness, 0 (calls the most audio speech) … 3 (the least). 2 rejects
 * steady low noise and the detector's start-up guesses while still hearing a modulated tone
 * at speech level; the {@link SpeechSegmenter}'s hysteresis bridges its short gaps.
 */
export const VAD_MODE = 2;

/**
 * Peak of the dither added to the VAD's copy of each frame (±16 of 32767, about −66 dBFS).
 * On exact digital silence (a muted or gated microphone, a test file's zeros) the WebRTC
 * VAD's noise model collapses, and then a faint room noise reads as speech for seconds;
 * a dither far below any voice keeps the model where a real microphone would put it.
 */
export const VAD_DITHER = 16;

let engine: Promise<FvadModule> | undefined;

/**
 * Loads the WebRTC VAD (libfvad compiled to WASM, `@echogarden/fvad-wasm`) once per process.
 * Every detector shares the module; each has its own state in the WASM heap.
 *
 * @returns The module.
 */
export function loadVad(): Promise<FvadModule> {
  engine ??= import("@echogarden/fvad-wasm")
    .then((m) => m.default())
    .catch((error: unknown) => {
      engine = undefined;
      throw error;
    });
  return engine;
}

/**
 * One stream's voice-activity detector: the WebRTC VAD with its own state (it adapts to the
 * stream's noise floor), answering "voice or not" per frame. Call {@link free} when done:
 * its state lives in the WASM heap, outside the garbage collector's reach.
 */
export class VoiceActivityDetector {
  readonly #m: FvadModule;
  readonly #samples: number;
  readonly #sampleRate: number;
  readonly #mode: number;
  #instance: number;
  #buffer: number;
  #noise = 0x2545f491;

  /**
   * @param module - From {@link loadVad}.
   * @param options - `sampleRate` (one of {@link VAD_SAMPLE_RATES}), `frameMs` (one of
   *   {@link VAD_FRAME_MS}) and `mode` (0–3, default {@link VAD_MODE}).
   * @throws RangeError for a rate, frame length or mode the VAD does not support; Error when
   *   the WASM heap is exhausted.
   */
  constructor(
    module: FvadModule,
    options: { sampleRate: number; frameMs: number; mode?: number | undefined },
  ) {
    const { sampleRate, frameMs, mode = VAD_MODE } = options;
    if (!VAD_SAMPLE_RATES.has(sampleRate)) throw new RangeError(`VAD: bad rate ${sampleRate}`);
    if (!VAD_FRAME_MS.has(frameMs)) throw new RangeError(`VAD: bad frame length ${frameMs} ms`);
    this.#m = module;
    this.#samples = (sampleRate * frameMs) / 1000;
    this.#sampleRate = sampleRate;
    this.#mode = mode;
    this.#instance = module._fvad_new();
    if (this.#instance === 0) throw new Error("VAD: out of memory");
    this.#buffer = module._malloc(this.#samples * 2);
    if (this.#buffer === 0) {
      module._fvad_free(this.#instance);
      throw new Error("VAD: out of memory");
    }
    if (!this.#configure()) {
      this.free();
      throw new RangeError(`VAD: bad mode ${mode}`);
    }
  }

  #configure(): boolean {
    return (
      this.#m._fvad_set_sample_rate(this.#instance, this.#sampleRate) === 0 &&
      this.#m._fvad_set_mode(this.#instance, this.#mode) === 0
    );
  }

  /** Samples per frame. */
  get frameSamples(): number {
    return this.#samples;
  }

  /**
   * Classifies one frame.
   *
   * @param frame - Exactly {@link frameSamples} little-endian PCM16 samples, as bytes.
   * @returns Whether the frame holds voice.
   * @throws RangeError when the frame has the wrong length or the detector was freed.
   */
  isSpeech(frame: Uint8Array): boolean {
    if (this.#instance === 0) throw new RangeError("VAD: used after free()");
    if (frame.byteLength !== this.#samples * 2) {
      throw new RangeError(
        `VAD: frame of ${frame.byteLength} bytes, expected ${this.#samples * 2}`,
      );
    }
    // Copy through a DataView: the frame may sit at an odd offset in a pooled Buffer.
    const heap = this.#m.HEAP16;
    const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
    const base = this.#buffer >> 1;
    for (let i = 0; i < this.#samples; i++) {
      const sample = view.getInt16(i * 2, true) + this.#dither();
      heap[base + i] = Math.max(-32768, Math.min(32767, sample));
    }
    return this.#m._fvad_process(this.#instance, this.#buffer, this.#samples) === 1;
  }

  /** Deterministic dither in −VAD_DITHER…VAD_DITHER (a 32-bit LCG, so runs repeat exactly). */
  #dither(): number {
    this.#noise = (Math.imul(this.#noise, 1664525) + 1013904223) >>> 0;
    return Math.round((this.#noise / 0xffffffff) * 2 * VAD_DITHER) - VAD_DITHER;
  }

  /** Forgets the stream's history (e.g. after a mute). */
  reset(): void {
    if (this.#instance === 0) return;
    // fvad_reset also restores the default mode and rate: set ours again.
    this.#m._fvad_reset(this.#instance);
    this.#configure();
  }

  /** Releases the WASM memory; the detector cannot be used afterwards. Safe to call twice. */
  free(): void {
    if (this.#instance === 0) return;
    this.#m._free(this.#buffer);
    this.#m._fvad_free(this.#instance);
    this.#instance = 0;
    this.#buffer = 0;
  }
}
