import { describe, expect, it } from "vitest";
import { UnpodSession } from "../src/index.js";
import { UnpodVoice } from "../src/voice/index.js";
import { audioSupport, microphoneError } from "../src/voice/microphone.js";
import { resolveVoiceOptions } from "../src/voice/options.js";
import { Turns } from "../src/voice/turns.js";
import { workletSource } from "../src/voice/worklet.js";
import { fakeToken } from "./tokens.js";

const session = () =>
  new UnpodSession({
    serverUrl: "wss://rtc.example.com",
    token: fakeToken({ exp: Date.now() / 1000 + 600 }),
  });

const optionOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as { option?: string }).option;
  }
  return undefined;
};

describe("UnpodVoice (no audio API needed)", () => {
  it("attaches without touching any audio API: safe in Node and during server rendering", () => {
    const voice = new UnpodVoice(session(), { muted: true, output: { volume: 0.5 } });
    expect(voice.getSnapshot()).toEqual({
      status: "idle",
      muted: true,
      volume: 0.5,
      agentState: "idle",
      userSpeaking: false,
      playbackBlocked: false,
      inputDeviceId: undefined,
      outputDeviceId: undefined,
      error: undefined,
    });
    expect(voice.getInputLevel()).toBe(0);
    expect(voice.getOutputLevel()).toBe(0);
    expect(voice.getStats()).toMatchObject({ framesSent: 0, uplinkMs: [] });
  });

  it("checks its options by name", () => {
    const s = session();
    expect(optionOf(() => new UnpodVoice({} as never))).toBe("session");
    expect(optionOf(() => new UnpodVoice(s, { output: { volume: 2 } }))).toBe("output.volume");
    expect(optionOf(() => new UnpodVoice(s, { input: { deviceId: "" } }))).toBe("input.deviceId");
    expect(optionOf(() => new UnpodVoice(s, { input: { echoCancellation: 1 as never } }))).toBe(
      "input.echoCancellation",
    );
    expect(optionOf(() => new UnpodVoice(s, { prebufferMs: 5 }))).toBe("prebufferMs");
    expect(optionOf(() => new UnpodVoice(s, { workletUrl: 3 as never }))).toBe("workletUrl");
    expect(optionOf(() => new UnpodVoice(s, { muted: "yes" as never }))).toBe("muted");
    expect(optionOf(() => new UnpodVoice(s, { autoStart: 0 as never }))).toBe("autoStart");
  });

  it("its setters check their arguments", () => {
    const voice = new UnpodVoice(session());
    expect(optionOf(() => voice.setVolume(-0.1))).toBe("volume");
    expect(optionOf(() => voice.setMuted("no" as never))).toBe("muted");
    voice.setMuted(true);
    voice.setVolume(0.25);
    expect(voice.getSnapshot()).toMatchObject({ muted: true, volume: 0.25 });
  });

  it("defaults: echo cancellation, noise suppression and auto gain on; 60 ms prebuffer", () => {
    expect(resolveVoiceOptions({})).toMatchObject({
      input: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
      volume: 1,
      muted: false,
      autoStart: true,
      prebufferMs: 60,
      workletUrl: undefined,
    });
    expect(resolveVoiceOptions({ input: { noiseSuppression: false } }).input).toMatchObject({
      noiseSuppression: false,
      echoCancellation: true,
    });
  });

  it("reports missing audio support as audio_not_supported (Node has none)", () => {
    expect(audioSupport()).toMatchObject({ name: "UnpodAudioError", code: "audio_not_supported" });
  });
});

describe("microphone failures", () => {
  it.each([
    ["NotAllowedError", "microphone_denied"],
    ["SecurityError", "microphone_denied"],
    ["NotFoundError", "microphone_unavailable"],
    ["NotReadableError", "microphone_unavailable"],
    ["OverconstrainedError", "microphone_unavailable"],
    ["TypeError", "audio_failed"],
  ])("%s → %s", (name, code) => {
    const cause = Object.assign(new Error("the browser said no"), { name });
    const error = microphoneError(cause);
    expect(error).toMatchObject({ name: "UnpodAudioError", code });
    expect(error.cause).toBe(cause);
  });
});

describe("turns (which turn binary audio belongs to)", () => {
  it("drops audio before any audio_start and after the turn's end or interrupt", () => {
    const turns = new Turns();
    expect(turns.audioTurn()).toBeUndefined();
    expect(turns.start("a")).toBeUndefined();
    expect(turns.audioTurn()).toBe("a");
    turns.close("a");
    expect(turns.audioTurn()).toBeUndefined();
    expect(turns.isClosed("a")).toBe(true);
  });

  it("a new audio_start while a turn is open ends that turn", () => {
    const turns = new Turns();
    turns.start("a");
    expect(turns.start("b")).toBe("a");
    expect(turns.audioTurn()).toBe("b");
    turns.close("b");
    expect(turns.start("c")).toBeUndefined();
  });

  it("remembers a bounded number of closed turns", () => {
    const turns = new Turns();
    for (let i = 0; i < 100; i++) turns.close(`t${i}`);
    expect(turns.isClosed("t99")).toBe(true);
    expect(turns.isClosed("t0")).toBe(false);
  });
});

describe("the worklet module", () => {
  it("is self-contained module text that registers both processors", () => {
    const source = workletSource();
    const registered: string[] = [];
    const scope = {
      sampleRate: 48_000,
      currentTime: 0,
      AudioWorkletProcessor: class {
        port = { onmessage: null, postMessage() {} };
      },
      registerProcessor: (name: string) => registered.push(name),
    };
    // Runs with nothing from this module in scope: only what a worklet scope has.
    new Function("globalThis", source)(scope);
    expect(registered).toEqual(["unpod-capture", "unpod-playback"]);
  });
});

/** Loads the worklet module in a fake AudioWorkletGlobalScope at `rate`; returns its processors. */
function loadWorklet(rate: number) {
  const processors: Record<string, new () => Processor> = {};
  const scope = {
    sampleRate: rate,
    currentTime: 0,
    AudioWorkletProcessor: class {
      port = {
        onmessage: null as ((e: { data: unknown }) => void) | null,
        sent: [] as Record<string, unknown>[],
        postMessage(message: Record<string, unknown>, transfer?: ArrayBuffer[]) {
          // Like a real port: a transferred buffer is moved (detached here).
          this.sent.push(structuredClone(message, { transfer: transfer ?? [] }));
        },
      };
    },
    registerProcessor: (name: string, cls: new () => Processor) => {
      processors[name] = cls;
    },
  };
  new Function("globalThis", workletSource())(scope);
  return { processors, scope };
}

interface Processor {
  port: {
    onmessage: ((e: { data: unknown }) => void) | null;
    sent: Record<string, unknown>[];
  };
  process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean;
}

const sine = (hz: number, rate: number, n: number, from = 0, amp = 0.5) =>
  Float32Array.from(
    { length: n },
    (_, i) => amp * Math.sin((2 * Math.PI * hz * (from + i)) / rate),
  );

function power(samples: ArrayLike<number>, hz: number, rate: number) {
  const k = 2 * Math.cos((2 * Math.PI * hz) / rate);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < samples.length; i++) {
    const s0 = (samples[i] as number) + k * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - k * s1 * s2;
}

describe("capture processor (in a fake worklet scope)", () => {
  it.each([48_000, 44_100])(
    "turns %i Hz input into exact 20 ms PCM16 frames at 16 kHz, keeping the tone and removing what 16 kHz cannot hold",
    (rate) => {
      const { processors } = loadWorklet(rate);
      const capture = new (processors["unpod-capture"] as new () => Processor)();
      capture.port.onmessage?.({ data: { type: "format", rate: 16_000, frameSamples: 320 } });
      // One second of 440 Hz plus 11 kHz (above 16 kHz's Nyquist: must be filtered, not aliased).
      const seconds = 1;
      let t = 0;
      for (let block = 0; block < (rate * seconds) / 128; block++) {
        const a = sine(440, rate, 128, t);
        const b = sine(11_000, rate, 128, t);
        t += 128;
        capture.process([[a.map((x, i) => x + (b[i] as number))]], []);
      }
      const frames = capture.port.sent.filter((m) => m.type === "frame");
      expect(frames.length).toBeGreaterThanOrEqual(49);
      expect(frames.length).toBeLessThanOrEqual(50);
      for (const f of frames) expect((f.pcm as ArrayBuffer).byteLength).toBe(640);
      const pcm = new Int16Array(
        frames.flatMap((f) => Array.from(new Int16Array(f.pcm as ArrayBuffer))),
      );
      const samples = Float32Array.from(pcm, (x) => x / 0x8000).subarray(320); // past the filter's start
      const tone = power(samples, 440, 16_000);
      // 11 kHz would alias to 5 kHz at 16 kHz without the low-pass.
      expect(power(samples, 5000, 16_000)).toBeLessThan(tone / 1000);
      expect(tone).toBeGreaterThan(20 * power(samples, 520, 16_000));
    },
  );
});

describe("playback processor (in a fake worklet scope)", () => {
  function setup(prebufferMs = 40) {
    const { processors, scope } = loadWorklet(48_000);
    const playback = new (processors["unpod-playback"] as new () => Processor)();
    const send = (data: unknown) => playback.port.onmessage?.({ data });
    send({ type: "format", rate: 24_000, prebufferMs });
    const render = (blocks: number) => {
      const out: number[] = [];
      for (let i = 0; i < blocks; i++) {
        const block = new Float32Array(128);
        playback.process([], [[block]]);
        out.push(...block);
        scope.currentTime += 128 / 48_000;
      }
      return Float32Array.from(out);
    };
    const push = (turnId: string, samples: Float32Array) =>
      send({
        type: "push",
        turnId,
        pcm: Int16Array.from(samples, (x) => Math.round(x * 0x7fff)).buffer,
      });
    return { playback, send, render, push };
  }

  it("waits for the prebuffer, then plays the turn at the context's rate", () => {
    const { playback, render, push, send } = setup(40);
    push("t1", sine(1000, 24_000, 480)); // 20 ms: below the 40 ms prebuffer
    expect(render(4).every((x) => x === 0)).toBe(true);
    push("t1", sine(1000, 24_000, 24_000, 480)); // the rest of a second
    const out = render(300);
    expect(playback.port.sent[0]).toMatchObject({ type: "started", turnId: "t1" });
    const playing = out.subarray(1000, 20_000);
    expect(power(playing, 1000, 48_000)).toBeGreaterThan(100 * power(playing, 1100, 48_000));
    send({ type: "end", turnId: "t1" });
    render(200);
    expect(playback.port.sent.at(-1)).toMatchObject({ type: "finished", turnId: "t1" });
    expect(playback.port.sent.at(-1)?.playedMs).toBe(1020);
  });

  it("a short turn plays without filling the prebuffer once it has ended", () => {
    const { playback, render, push, send } = setup(80);
    push("t1", sine(500, 24_000, 240)); // 10 ms
    send({ type: "end", turnId: "t1" });
    const out = render(4);
    expect(out.some((x) => x !== 0)).toBe(true);
    expect(playback.port.sent.map((m) => m.type)).toEqual(["started", "finished"]);
  });

  it("clear silences at the next render quantum and says how much was played", () => {
    const { playback, render, push, send } = setup(40);
    push("t1", sine(800, 24_000, 24_000));
    render(100); // ~267 ms played
    send({ type: "clear", turnId: "t1" });
    expect(render(1).every((x) => x === 0)).toBe(true);
    const cleared = playback.port.sent.find((m) => m.type === "cleared");
    expect(cleared?.turnId).toBe("t1");
    expect(cleared?.playedMs as number).toBeGreaterThan(200);
    expect(cleared?.playedMs as number).toBeLessThan(300);
    push("t2", sine(800, 24_000, 4800)); // the next turn plays normally
    expect(render(40).some((x) => x !== 0)).toBe(true);
  });
});
