import { type Browser } from "playwright-core";
/** Flags that let Debian's Chromium run headless as root on a machine with no outside network. */
export declare const CHROMIUM_ARGS: string[];
/**
 * Flags for voice tests: a fake microphone that plays `wav` (looped), and no permission
 * prompt. Headless Chromium never enforces the autoplay policy; tests simulate it.
 */
export declare function fakeMicrophoneArgs(wav: string): string[];
/** Launches Debian's Chromium (`CHROMIUM_PATH`, default `/usr/bin/chromium`), with extra flags. */
export declare function launchChromium(extraArgs?: string[]): Promise<Browser>;
/**
 * A WAV file (PCM16, mono) of `seconds` of an amplitude-modulated sine: a steady tone would
 * be flattened by the browser's noise suppression (~17 dB), a modulated one passes.
 */
export declare function modulatedToneWav(options: {
  hz: number;
  seconds: number;
  rate?: number;
  modulationHz?: number;
  /** Silence after the tone, in seconds. @defaultValue 0 */
  silenceSeconds?: number;
}): Buffer;
/** A 44-byte RIFF/WAVE header for PCM16 mono. */
export declare function wavHeader(dataBytes: number, rate: number): Buffer;
/** Samples (−1…1) and rate of a PCM16 mono WAV. */
export declare function readWav(wav: Uint8Array): {
  rate: number;
  samples: Float32Array;
};
/** Power of `samples` at `hz` (Goertzel), normalised by length. */
export declare function goertzel(samples: ArrayLike<number>, hz: number, rate: number): number;
/** A TCP port that is free on 127.0.0.1 right now (for a server the test starts). */
export declare function freePort(): Promise<number>;
/** The page instruments for voice tests (tap, streams, contexts, frames, autoplay shim): `page.addInitScript(instrumentAudio)`. */
export declare function instrumentAudio(): void;
/** In-page helpers as `window.h`: `page.evaluate(audioHelpers)`. */
export declare function audioHelpers(): void;
