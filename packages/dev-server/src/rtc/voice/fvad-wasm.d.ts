// Types for @echogarden/fvad-wasm (libfvad, the WebRTC VAD, built with Emscripten), which
// ships none. Only what vad.ts uses; see libfvad's fvad.h for the C functions.
declare module "@echogarden/fvad-wasm" {
  /** The instantiated Emscripten module. */
  export interface FvadModule {
    /** The WASM heap as 16-bit integers (replaced when the heap grows: read it each time). */
    readonly HEAP16: Int16Array;
    _malloc(bytes: number): number;
    _free(pointer: number): void;
    /** A new detector in mode 0 at 8 kHz; 0 when out of memory. */
    _fvad_new(): number;
    _fvad_free(instance: number): void;
    _fvad_reset(instance: number): void;
    /** 0 ok, -1 when the mode is not 0–3. */
    _fvad_set_mode(instance: number, mode: number): number;
    /** 0 ok, -1 when the rate is not 8000, 16000, 32000 or 48000. */
    _fvad_set_sample_rate(instance: number, sampleRate: number): number;
    /** 1 voice, 0 no voice, -1 when the length is not 10, 20 or 30 ms of samples. */
    _fvad_process(instance: number, frame: number, length: number): number;
  }
  /** Instantiates the module (reads fvad.wasm beside fvad.js). */
  export default function fvad(options?: Record<string, unknown>): Promise<FvadModule>;
}
