import { describe, expect, test } from "vitest";
import {
  burstMs,
  FADE_MS,
  MAX_TURN_MS,
  speechTones,
  ToneReader,
  toneSegments,
  WORD_GAP_MS,
  wordFrequency,
} from "../../src/rtc/voice/synth.js";
import { goertzel, joinBytes, rms, samplesOf } from "./signals.js";

const RATE = 24000;
const ms = (samples: number) => (samples * 1000) / RATE;

function render(segments: ReturnType<typeof speechTones>, chunk = 480): Int16Array {
  const reader = new ToneReader(segments, RATE);
  const parts: Uint8Array[] = [];
  while (!reader.done) parts.push(reader.read(chunk));
  return samplesOf(joinBytes(parts));
}

describe("word tones", () => {
  test("a word's frequency is fixed by the word (case aside), within 300–887.5 Hz", () => {
    expect(wordFrequency("hello")).toBe(wordFrequency("HELLO"));
    const words = ["echo", "hello", "world", "I", "heard", "seconds", "of", "speech."];
    const hz = words.map(wordFrequency);
    for (const f of hz) {
      expect(f).toBeGreaterThanOrEqual(300);
      expect(f).toBeLessThanOrEqual(887.5);
    }
    // Different words mostly sound different.
    expect(new Set(hz).size).toBeGreaterThanOrEqual(6);
  });

  test("one burst per word, gaps between words, nothing around them", () => {
    const segments = speechTones("  Echo:   hello\nworld ", RATE);
    expect(segments.map((s) => s.hz)).toEqual([
      wordFrequency("Echo:"),
      0,
      wordFrequency("hello"),
      0,
      wordFrequency("world"),
    ]);
    expect(segments.map((s) => ms(s.samples))).toEqual([
      burstMs("Echo:"),
      WORD_GAP_MS,
      burstMs("hello"),
      WORD_GAP_MS,
      burstMs("world"),
    ]);
    expect(burstMs("a")).toBe(100);
    expect(burstMs("x".repeat(100))).toBe(400);
    expect(speechTones("   ", RATE)).toEqual([]);
  });

  test("a long text stops at the longest turn", () => {
    const segments = speechTones("word ".repeat(1000), RATE);
    const total = ms(segments.reduce((n, s) => n + s.samples, 0));
    expect(total).toBeLessThanOrEqual(MAX_TURN_MS);
    expect(total).toBeGreaterThan(MAX_TURN_MS - 400);
  });

  test("each burst's dominant frequency is its word's, and the gaps are silent", () => {
    const text = "the quick brown fox";
    const segments = speechTones(text, RATE);
    const pcm = render(segments);
    let offset = 0;
    const words = text.split(" ");
    for (const s of segments) {
      const part = pcm.subarray(offset, offset + s.samples);
      offset += s.samples;
      if (s.hz === 0) {
        expect(rms(part)).toBe(0);
        continue;
      }
      expect(s.hz).toBe(wordFrequency(words.shift() as string));
      const at = goertzel(part, s.hz, RATE);
      expect(at).toBeGreaterThan(20 * goertzel(part, s.hz + 60, RATE));
      expect(at).toBeGreaterThan(20 * goertzel(part, s.hz - 60, RATE));
      // About −10 dBFS in the middle.
      expect(Math.max(...part)).toBeGreaterThan(0.28 * 32767);
      expect(Math.max(...part)).toBeLessThanOrEqual(Math.ceil(0.3 * 32767));
    }
  });

  test("bursts fade in and out (no click): they start and end at zero and rise smoothly", () => {
    const pcm = render(speechTones("hello", RATE));
    expect(pcm[0]).toBe(0);
    expect(Math.abs(pcm[pcm.length - 1] as number)).toBeLessThan(200);
    const fade = (FADE_MS * RATE) / 1000;
    // Within the fade, the envelope stays under the raised cosine.
    for (let i = 0; i < fade; i++) {
      const limit = (0.5 - 0.5 * Math.cos((Math.PI * i) / fade)) * 0.3 * 32767 + 1;
      expect(Math.abs(pcm[i] as number)).toBeLessThanOrEqual(limit);
    }
  });

  test("rendering does not depend on the chunk size", () => {
    const segments = speechTones("same audio however it is cut", RATE);
    const whole = render(segments, 1_000_000);
    // Compared as bytes: a deep equality over 40,000 samples is slow to report.
    const same = (a: Int16Array) => Buffer.from(a.buffer).equals(Buffer.from(whole.buffer));
    expect(same(render(segments, 480))).toBe(true);
    expect(same(render(segments, 7))).toBe(true);
    expect(same(render(speechTones("other audio", RATE), 480))).toBe(false);
    expect(whole.length).toBe(new ToneReader(segments, RATE).totalSamples);
  });

  test("a pure tone is that tone, for that long", () => {
    const segments = toneSegments(1000, 500, RATE);
    const pcm = render(segments);
    expect(pcm.length).toBe(12000);
    const at = goertzel(pcm, 1000, RATE);
    expect(at).toBeGreaterThan(1000 * goertzel(pcm, 1020, RATE));
    expect(toneSegments(1000, 10 * MAX_TURN_MS, RATE)[0]?.samples).toBe(
      (MAX_TURN_MS * RATE) / 1000,
    );
  });

  test("reading past the end gives nothing", () => {
    const reader = new ToneReader(toneSegments(440, 10, RATE), RATE);
    expect(reader.read(10_000).byteLength).toBe(480);
    expect(reader.done).toBe(true);
    expect(reader.read(480).byteLength).toBe(0);
    expect(new ToneReader([], RATE).read(10).byteLength).toBe(0);
  });
});
