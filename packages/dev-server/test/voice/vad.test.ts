import { beforeAll, describe, expect, test } from "vitest";
import type { FvadModule } from "../../src/rtc/voice/vad.js";
import { loadVad, VoiceActivityDetector } from "../../src/rtc/voice/vad.js";
import { concat, frames, modulatedTone, pcm16, quiet } from "./signals.js";

let m: FvadModule;
beforeAll(async () => {
  m = await loadVad();
});

function decisions(vad: VoiceActivityDetector, signal: ArrayLike<number>): string {
  return frames(pcm16(signal), vad.frameSamples * 2)
    .map((f) => (vad.isSpeech(f) ? "#" : "."))
    .join("");
}

describe("VoiceActivityDetector (WebRTC VAD)", () => {
  test("loads once", async () => {
    expect(await loadVad()).toBe(m);
  });

  test("hears a modulated tone, not a quiet room", () => {
    const vad = new VoiceActivityDetector(m, { sampleRate: 16000, frameMs: 20 });
    const d = decisions(vad, concat(quiet(1000), modulatedTone(1400), quiet(1000)));
    const room = d.slice(10, 50);
    const voice = d.slice(50, 120);
    const after = d.slice(135);
    expect(room).toBe(".".repeat(40));
    expect([...voice].filter((c) => c === "#").length).toBeGreaterThan(0.7 * voice.length);
    expect(after).toBe(".".repeat(after.length));
    vad.free();
  });

  test("frames at an odd byte offset are read correctly", () => {
    const vad = new VoiceActivityDetector(m, { sampleRate: 16000, frameMs: 20 });
    const bytes = pcm16(modulatedTone(400));
    const shifted = new Uint8Array(bytes.byteLength + 1);
    shifted.set(bytes, 1);
    const odd = frames(shifted.subarray(1), 640);
    const heard = odd.map((f) => vad.isSpeech(f));
    expect(heard.filter(Boolean).length).toBeGreaterThan(10);
    vad.free();
  });

  test("reset keeps the rate and mode (libfvad's reset restores its defaults)", () => {
    const vad = new VoiceActivityDetector(m, { sampleRate: 16000, frameMs: 20 });
    vad.reset();
    const d = decisions(vad, modulatedTone(1000));
    expect([...d].filter((c) => c === "#").length).toBeGreaterThan(30);
    vad.free();
  });

  test("refuses what the VAD cannot take", () => {
    expect(() => new VoiceActivityDetector(m, { sampleRate: 24000, frameMs: 20 })).toThrow(
      RangeError,
    );
    expect(() => new VoiceActivityDetector(m, { sampleRate: 16000, frameMs: 25 })).toThrow(
      RangeError,
    );
    expect(() => new VoiceActivityDetector(m, { sampleRate: 16000, frameMs: 20, mode: 4 })).toThrow(
      RangeError,
    );
    const vad = new VoiceActivityDetector(m, { sampleRate: 16000, frameMs: 20 });
    expect(() => vad.isSpeech(new Uint8Array(642))).toThrow(RangeError);
    vad.free();
    vad.free();
    expect(() => vad.isSpeech(new Uint8Array(640))).toThrow(/after free/);
  });

  test("many detectors come and go without growing the WASM heap", () => {
    const before = m.HEAP16.length;
    for (let i = 0; i < 2000; i++)
      new VoiceActivityDetector(m, { sampleRate: 48000, frameMs: 30 }).free();
    expect(m.HEAP16.length).toBe(before);
  });
});

describe("after digital silence", () => {
  test("a faint room noise that follows exact zeros is not speech (the dither keeps the noise model)", () => {
    const vad = new VoiceActivityDetector(m, { sampleRate: 16000, frameMs: 20 });
    const d = decisions(
      vad,
      concat(quiet(500), modulatedTone(1400), new Float64Array(16000), quiet(3000)),
    );
    const afterZeros = d.slice(25 + 70 + 50);
    expect(afterZeros).toBe(".".repeat(afterZeros.length));
    vad.free();
  });
});
