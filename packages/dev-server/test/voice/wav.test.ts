import { describe, expect, test } from "vitest";
import { encodeWav, UplinkRecorder, WAV_HEADER_BYTES } from "../../src/rtc/voice/wav.js";
import { readWav } from "./signals.js";

describe("encodeWav", () => {
  test("a canonical RIFF/WAVE header for mono PCM16, then the data", () => {
    const a = Uint8Array.from([1, 2, 3, 4]);
    const b = Uint8Array.from([5, 6]);
    const wav = encodeWav([a, b], 16000);
    expect(wav.byteLength).toBe(WAV_HEADER_BYTES + 6);
    expect(readWav(wav)).toEqual({
      riff: "RIFF",
      riffSize: 36 + 6,
      wave: "WAVE",
      format: 1,
      channels: 1,
      sampleRate: 16000,
      byteRate: 32000,
      blockAlign: 2,
      bitsPerSample: 16,
      dataBytes: 6,
      data: Uint8Array.from([1, 2, 3, 4, 5, 6]),
    });
    expect(String.fromCharCode(...wav.subarray(12, 16))).toBe("fmt ");
    expect(readWav(encodeWav([], 48000))).toMatchObject({ dataBytes: 0, sampleRate: 48000 });
  });
});

describe("UplinkRecorder", () => {
  const frame = (fill: number) => new Uint8Array(640).fill(fill);

  test("keeps copies of the frames, in order", () => {
    const r = new UplinkRecorder(10 * 640);
    const f = frame(1);
    r.add(f);
    f.fill(9); // the caller reuses its buffer
    r.add(frame(2));
    const { data } = readWav(r.toWav(16000));
    expect(data.byteLength).toBe(1280);
    expect(data[0]).toBe(1);
    expect(data[640]).toBe(2);
    expect([r.receivedBytes, r.keptBytes, r.droppedBytes]).toEqual([1280, 1280, 0]);
  });

  test("at the cap it keeps the newest audio and counts what it dropped", () => {
    const r = new UplinkRecorder(3 * 640);
    for (let i = 1; i <= 5000; i++) r.add(frame(i % 256));
    const { data } = readWav(r.toWav(16000));
    expect(data.byteLength).toBe(3 * 640);
    expect([data[0], data[640], data[1280]]).toEqual(
      [4997 % 256, 4998 % 256, 4999 % 256].map((v) => (v + 1) % 256),
    );
    expect(r.receivedBytes).toBe(5000 * 640);
    expect(r.keptBytes).toBe(3 * 640);
    expect(r.droppedBytes).toBe(4997 * 640);
  });

  test("a frame bigger than the cap is counted, not kept", () => {
    const r = new UplinkRecorder(100);
    r.add(new Uint8Array(200));
    expect([r.receivedBytes, r.keptBytes, r.droppedBytes]).toEqual([200, 0, 200]);
  });
});
