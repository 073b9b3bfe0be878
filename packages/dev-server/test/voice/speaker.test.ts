import { describe, expect, test } from "vitest";
import { DEFAULT_SPEAKER_OPTIONS, Speaker } from "../../src/rtc/voice/speaker.js";
import { toneSegments } from "../../src/rtc/voice/synth.js";
import { RecordingHost } from "./host.js";

const RATE = 24000;
function setup(o: Partial<typeof DEFAULT_SPEAKER_OPTIONS> = {}) {
  const host = new RecordingHost();
  const speaker = new Speaker(host, { ...DEFAULT_SPEAKER_OPTIONS, ...o, sampleRate: RATE });
  return { host, speaker, t0: host.clock.now() };
}

describe("Speaker", () => {
  test("a turn: speaking, audio_start, 20 ms frames paced in real time after an 80 ms burst, audio_end", () => {
    const { host, speaker, t0 } = setup();
    expect(speaker.speak("a", toneSegments(440, 210, RATE))).toBe(true);
    expect(host.frames()).toEqual(["agent_state:a speaking", "audio_start:a"]);
    expect(host.audio().map((a) => a.at - t0)).toEqual([0, 0, 0, 0]);
    host.clock.advance(2000);
    const audio = host.audio();
    // 210 ms at 24 kHz: ten full 20 ms frames (960 bytes) and a 10 ms tail.
    expect(audio.map((a) => a.bytes)).toEqual([...Array(10).fill(960), 480]);
    // Frame k (0-based) leaves when its last sample is due, 80 ms early.
    expect(audio.map((a) => a.at - t0)).toEqual([0, 0, 0, 0, 20, 40, 60, 80, 100, 120, 130]);
    expect(host.frames()).toEqual([
      "agent_state:a speaking",
      "audio_start:a",
      "audio_end:a",
      "agent_state listening",
    ]);
    const end = host.sent.find((s) => "frame" in s && s.frame.type === "audio_end");
    expect((end?.at ?? 0) - t0).toBe(130);
    const listening = host.sent.at(-1);
    expect((listening?.at ?? 0) - t0).toBe(130 + DEFAULT_SPEAKER_OPTIONS.playbackWaitMs);
    expect(speaker.turns).toEqual([{ turnId: "a", durationMs: 210, sentMs: 210, status: "sent" }]);
  });

  test("the client's playback ends the turn at once; until then it is the current turn", () => {
    const { host, speaker } = setup();
    speaker.speak("a", toneSegments(440, 100, RATE));
    host.clock.advance(40);
    expect(host.frames().at(-1)).toBe("audio_end:a");
    expect(speaker.currentTurn).toBe("a");
    speaker.playback("other", 5);
    expect(speaker.currentTurn).toBe("a");
    speaker.playback("a", 100);
    expect(speaker.currentTurn).toBeUndefined();
    expect(host.frames().at(-1)).toBe("agent_state listening");
    expect(speaker.turns[0]).toMatchObject({ status: "played", playedMs: 100 });
    host.clock.advance(5000);
    expect(host.frames().filter((f) => f === "agent_state listening").length).toBe(1);
  });

  test("queued turns follow each other without listening in between", () => {
    const { host, speaker } = setup();
    speaker.speak("a", toneSegments(440, 100, RATE));
    speaker.speak("b", toneSegments(880, 100, RATE));
    host.clock.advance(3000);
    expect(host.frames()).toEqual([
      "agent_state:a speaking",
      "audio_start:a",
      "audio_end:a",
      "agent_state:b speaking",
      "audio_start:b",
      "audio_end:b",
      "agent_state listening",
    ]);
    expect(host.audio().reduce((n, a) => n + a.bytes, 0)).toBe(2 * 100 * 48);
  });

  test("interrupt stops the audio at once, sends no audio_end, empties the queue", () => {
    const { host, speaker } = setup();
    speaker.speak("a", toneSegments(440, 1000, RATE));
    speaker.speak("b", toneSegments(440, 1000, RATE));
    host.clock.advance(200);
    const before = host.audio().length;
    expect(speaker.interrupt("barge_in")).toBe("a");
    host.clock.advance(5000);
    expect(host.audio().length).toBe(before);
    expect(host.frames()).toEqual([
      "agent_state:a speaking",
      "audio_start:a",
      "interrupt:a barge_in",
      "agent_state listening",
    ]);
    expect(speaker.currentTurn).toBeUndefined();
    expect(speaker.interrupt("client")).toBeUndefined();
    expect(speaker.turns).toEqual([
      { turnId: "a", durationMs: 1000, sentMs: 280, status: "interrupted" },
    ]);
  });

  test("an interrupt after audio_end, before playback, still interrupts the turn", () => {
    const { host, speaker } = setup();
    speaker.speak("a", toneSegments(440, 60, RATE));
    expect(host.frames().at(-1)).toBe("audio_end:a");
    expect(speaker.interrupt("client", 30)).toBe("a");
    expect(host.frames().slice(-2)).toEqual(["interrupt:a client", "agent_state listening"]);
    expect(speaker.turns[0]).toMatchObject({ status: "interrupted", playedMs: 30 });
  });

  test("the queue is bounded", () => {
    const { speaker } = setup({ maxQueuedTurns: 2 });
    expect(speaker.speak("a", toneSegments(440, 100, RATE))).toBe(true); // speaking
    expect(speaker.speak("b", toneSegments(440, 100, RATE))).toBe(true);
    expect(speaker.speak("c", toneSegments(440, 100, RATE))).toBe(true);
    expect(speaker.canQueue).toBe(false);
    expect(speaker.speak("d", toneSegments(440, 100, RATE))).toBe(false);
  });

  test("without a socket the turn still runs on the clock: control frames go out, audio is lost", () => {
    const { host, speaker } = setup();
    host.connected = false;
    speaker.speak("a", toneSegments(440, 400, RATE));
    host.clock.advance(100);
    host.connected = true;
    host.clock.advance(1000);
    // By t = 100 ms the first 180 ms were due (and lost); the other 220 ms were sent.
    expect(host.audio().map((a) => a.bytes)).toEqual(Array(11).fill(960));
    expect(host.frames().slice(0, 3)).toEqual([
      "agent_state:a speaking",
      "audio_start:a",
      "audio_end:a",
    ]);
  });

  test("a late timer sends every frame that is due at once (catch-up), nothing ahead of time", () => {
    const host = new RecordingHost();
    // A clock whose timers fire only when the test says, however late.
    let now = 0;
    const pending: (() => void)[] = [];
    const late = {
      now: () => now,
      setTimeout: (fn: () => void) => pending.push(fn),
      clearTimeout: () => {},
    };
    const speaker = new Speaker(
      {
        ...host,
        send: (f) => host.send(f),
        sendAudio: (a) => host.sendAudio(a),
        agentState: () => {},
        clock: late,
      },
      { ...DEFAULT_SPEAKER_OPTIONS, sampleRate: RATE },
    );
    speaker.speak("a", toneSegments(440, 1000, RATE));
    expect(host.audio().length).toBe(4);
    now = 300;
    pending.shift()?.();
    expect(host.audio().length * 20).toBe(300 + 80);
    expect(pending.length).toBe(1);
  });

  test("dispose stops everything silently", () => {
    const { host, speaker } = setup();
    speaker.speak("a", toneSegments(440, 1000, RATE));
    host.clear();
    speaker.dispose();
    host.clock.advance(5000);
    expect(host.sent).toEqual([]);
  });

  test("an open (streaming) turn waits when its audio runs out, resumes on append, ends when closed", () => {
    const { host, speaker } = setup();
    speaker.speak("s", toneSegments(440, 100, RATE), true);
    host.clock.advance(1000);
    // All 100 ms sent, no audio_end: the turn is open and still the agent's.
    expect(host.frames()).toEqual(["agent_state:s speaking", "audio_start:s"]);
    expect(speaker.currentTurn).toBe("s");
    expect(speaker.playedEstimateMs()).toBe(100);
    const before = host.audio().length;
    expect(speaker.append("s", toneSegments(660, 100, RATE), false)).toBe(true);
    // Paced again from now: a fresh prebuffer at once, then real time.
    expect(host.audio().length - before).toBe(4);
    host.clock.advance(1000);
    expect(host.frames().at(-1)).toBe("audio_start:s");
    expect(speaker.append("s", toneSegments(880, 40, RATE), true)).toBe(true);
    host.clock.advance(3000);
    expect(host.frames().slice(-2)).toEqual(["audio_end:s", "agent_state listening"]);
    expect(speaker.turns[0]).toMatchObject({ turnId: "s", durationMs: 240, sentMs: 240 });
    expect(speaker.append("s", toneSegments(440, 10, RATE), true)).toBe(false);
  });

  test("interrupting an open turn drops it: later appends are refused", () => {
    const { host, speaker } = setup();
    speaker.speak("s", toneSegments(440, 100, RATE), true);
    host.clock.advance(50);
    expect(speaker.playedEstimateMs()).toBe(50);
    expect(speaker.interrupt("barge_in")).toBe("s");
    expect(speaker.append("s", toneSegments(440, 100, RATE), false)).toBe(false);
    expect(speaker.playedEstimateMs()).toBeUndefined();
    expect(host.frames().slice(-2)).toEqual(["interrupt:s barge_in", "agent_state listening"]);
  });
});
