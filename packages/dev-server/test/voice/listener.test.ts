import type { VideoGrant } from "@unpod/core";
import { beforeAll, describe, expect, test } from "vitest";
import { UplinkListener } from "../../src/rtc/voice/listener.js";
import { type FvadModule, loadVad } from "../../src/rtc/voice/vad.js";
import { FakeClock } from "../helpers.js";
import { concat, frames, modulatedTone, pcm16, quiet } from "./signals.js";

let vad: FvadModule;
beforeAll(async () => {
  vad = await loadVad();
});

function setup(grant: VideoGrant = { roomJoin: true, room: "r", canPublish: true }) {
  const clock = new FakeClock(0);
  const events: string[] = [];
  const listener = new UplinkListener(
    {
      grant: () => grant,
      clock,
      speechStarted: () => events.push(`start@${clock.now()}`),
      speechEnded: (ms) => events.push(`end@${clock.now()} ${ms}ms`),
    },
    {
      input: { encoding: "pcm_s16le", sample_rate: 16000, channels: 1, frame_ms: 20 },
      vad,
      maxUplinkBytes: 1 << 20,
    },
  );
  const feed = (signal: ArrayLike<number>) => {
    for (const f of frames(pcm16(signal), 640)) {
      listener.receive(f);
      clock.advance(20);
    }
  };
  return { clock, events, listener, feed };
}

describe("UplinkListener", () => {
  test("reports an utterance's start and end, with its length, on the frames' clock", () => {
    const { events, feed, listener } = setup();
    feed(concat(quiet(300), modulatedTone(1400), quiet(900)));
    expect(events).toHaveLength(2);
    // Start: 120 ms of voice into the tone (≈ 300 + 120 ms); end: ≈ 0.6 s after the voice.
    const [start, end] = events.map((e) => Number(/@(\d+)/.exec(e)?.[1]));
    expect(start).toBeGreaterThanOrEqual(400);
    expect(start).toBeLessThanOrEqual(480);
    expect(end).toBeGreaterThanOrEqual(1700 + 500);
    expect(end).toBeLessThanOrEqual(1700 + 800);
    expect(events[1]).toMatch(/ 1[45]\d0ms$/);
    expect(listener.speaking).toBe(false);
    expect(listener.counts.receivedBytes).toBe(130 * 640);
  });

  test("flush reports the end now; cut drops it silently; both start afresh", () => {
    const a = setup();
    a.feed(modulatedTone(400));
    a.listener.flush();
    expect(a.events.map((e) => e.split("@")[0])).toEqual(["start", "end"]);
    const b = setup();
    b.feed(modulatedTone(400));
    expect(b.listener.cut()).toBe(true);
    expect(b.listener.cut()).toBe(false);
    expect(b.events.map((e) => e.split("@")[0])).toEqual(["start"]);
  });

  test("no frames for the end window while speaking: the utterance ends (stall)", () => {
    const { clock, events, feed } = setup();
    feed(modulatedTone(400)); // the last frame arrives at 380 ms; the clock is at 400
    clock.advance(579);
    expect(events).toHaveLength(1);
    clock.advance(1);
    expect(events).toEqual(["start@100", "end@980 400ms"]);
  });

  test("muted frames are neither recorded nor heard; muting ends the utterance", () => {
    const { events, feed, listener } = setup();
    feed(modulatedTone(400));
    listener.mute(true);
    expect(events).toHaveLength(2);
    feed(modulatedTone(1000));
    expect(events).toHaveLength(2);
    expect(listener.counts.receivedBytes).toBe(20 * 640);
    listener.mute(false);
    feed(modulatedTone(400));
    expect(events).toHaveLength(3);
  });

  test("free stops the stall timer", () => {
    const { clock, events, feed, listener } = setup();
    feed(modulatedTone(400));
    listener.free();
    clock.advance(5000);
    expect(events).toHaveLength(1);
  });
});
