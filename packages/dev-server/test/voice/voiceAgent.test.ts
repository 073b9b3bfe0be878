import type { JoinedAudio } from "@unpod/core";
import { beforeAll, describe, expect, test } from "vitest";
import type { FvadModule } from "../../src/rtc/voice/vad.js";
import { loadVad } from "../../src/rtc/voice/vad.js";
import { THINKING_MS, VoiceAgent } from "../../src/rtc/voice/voiceAgent.js";
import { RecordingHost } from "./host.js";
import { concat, frames, modulatedTone, pcm16, quiet, readWav } from "./signals.js";

const AUDIO: JoinedAudio = {
  input: { encoding: "pcm_s16le", sample_rate: 16000, channels: 1, frame_ms: 20 },
  output: { encoding: "pcm_s16le", sample_rate: 24000, channels: 1 },
};
let vad: FvadModule;
beforeAll(async () => {
  vad = await loadVad();
});

function setup(maxUplinkBytes = 1024 * 1024) {
  const host = new RecordingHost();
  const agent = new VoiceAgent(host, { audio: AUDIO, vad, maxUplinkBytes });
  agent.activate();
  return { host, agent };
}

/** Sends a signal as 20 ms frames, one per 20 ms of the fake clock. */
function feed(host: RecordingHost, agent: VoiceAgent, signal: ArrayLike<number>) {
  for (const f of frames(pcm16(signal), 640)) {
    expect(agent.receive(f)).toEqual({ kind: "accepted" });
    host.clock.advance(20);
  }
}

const utterance = () => concat(quiet(300), modulatedTone(1400), quiet(900));

describe("VoiceAgent", () => {
  test("an utterance: user_speech, user_turn with what it heard, thinking, a spoken reply", () => {
    const { host, agent } = setup();
    expect(host.frames()).toEqual(["agent_state listening"]);
    feed(host, agent, utterance());
    host.clock.advance(THINKING_MS + 10_000);
    const f = host.frames();
    const heard = f.find((x) => x.startsWith("user_turn")) ?? "";
    const seconds = Number(/\(speech, (\d+\.\d) s\)/.exec(heard)?.[1]);
    expect(seconds).toBeGreaterThanOrEqual(1.4);
    expect(seconds).toBeLessThanOrEqual(1.6);
    expect(f).toEqual([
      "agent_state listening",
      "user_speech true",
      "user_speech false",
      `user_turn:voice-1 (speech, ${seconds.toFixed(1)} s)`,
      "agent_state:voice-1 thinking",
      `agent_reply:voice-1 I heard ${seconds.toFixed(1)} seconds of speech.`,
      "agent_state:voice-1 speaking",
      "audio_start:voice-1",
      "audio_end:voice-1",
      "agent_state listening",
    ]);
    expect(host.audio().length).toBeGreaterThan(50);
    expect(agent.info()).toMatchObject({
      active: true,
      userSpeaking: false,
      agentState: "listening",
    });
  });

  test("speech over the agent is a barge-in: user_speech, interrupt, and the audio stops", () => {
    const { host, agent } = setup();
    agent.speakReply("t1", "a rather long reply with many words to say out loud");
    host.clock.advance(200);
    feed(host, agent, modulatedTone(300));
    const f = host.frames();
    const at = f.indexOf("interrupt:t1 barge_in");
    expect(f.slice(0, 2)).toEqual(["agent_state listening", "agent_state:t1 speaking"]);
    expect(f.slice(at - 1, at + 2)).toEqual([
      "user_speech true",
      "interrupt:t1 barge_in",
      "agent_state listening",
    ]);
    const cut = host.sent.findIndex((s) => "frame" in s && s.frame.type === "interrupt");
    expect(host.sent.slice(cut).some((s) => "audio" in s)).toBe(false);
    expect(f).not.toContain("audio_end:t1");
  });

  test("user speech while the agent is silent interrupts nothing", () => {
    const { host, agent } = setup();
    feed(host, agent, modulatedTone(300));
    expect(host.frames()).toEqual(["agent_state listening", "user_speech true"]);
  });

  test("speaking on while it thinks drops that reply", () => {
    const { host, agent } = setup();
    feed(host, agent, concat(modulatedTone(600), quiet(700)));
    expect(host.frames().at(-1)).toBe("agent_state:voice-1 thinking");
    feed(host, agent, modulatedTone(200)); // < THINKING_MS of frames: the reply is not due yet
    host.clock.advance(THINKING_MS);
    const f = host.frames();
    expect(f.slice(-2)).toEqual(["user_speech true", "agent_state listening"]);
    expect(f.some((x) => x.startsWith("agent_reply"))).toBe(false);
  });

  test("uplink rules: frame size, permission once, mute", () => {
    const { host, agent } = setup();
    expect(agent.receive(new Uint8Array(642))).toEqual({
      kind: "bad_frame",
      message: "Audio frame of 642 bytes; expected 640 (20 ms of 16000 Hz pcm_s16le).",
    });
    agent.mute(true);
    expect(agent.receive(new Uint8Array(640))).toEqual({ kind: "ignored" });
    expect(agent.info().uplink.receivedBytes).toBe(0);
    agent.mute(false);
    expect(agent.receive(new Uint8Array(640))).toEqual({ kind: "accepted" });
    expect(agent.info().uplink.receivedBytes).toBe(640);

    host.video = { roomJoin: true, room: "r", canPublish: true, canPublishSources: ["camera"] };
    expect(agent.receive(new Uint8Array(640)).kind).toBe("permission_denied");
    expect(agent.receive(new Uint8Array(640)).kind).toBe("ignored");
    expect(agent.receive(new Uint8Array(3)).kind).toBe("ignored");
    const denied = setup();
    denied.host.video = { roomJoin: true, room: "r" };
    expect(denied.agent.receive(new Uint8Array(640)).kind).toBe("permission_denied");
    const mic = setup();
    mic.host.video = {
      roomJoin: true,
      room: "r",
      canPublish: true,
      canPublishSources: ["microphone"],
    };
    expect(mic.agent.receive(new Uint8Array(640)).kind).toBe("accepted");
  });

  test("mute ends an utterance in progress", () => {
    const { host, agent } = setup();
    feed(host, agent, modulatedTone(600));
    agent.mute(true);
    expect(host.frames().slice(1, 4)).toEqual([
      "user_speech true",
      "user_speech false",
      "user_turn:voice-1 (speech, 0.6 s)",
    ]);
  });

  test("a stalled uplink (no frames) ends the utterance", () => {
    const { host, agent } = setup();
    feed(host, agent, modulatedTone(600));
    host.clock.advance(700);
    expect(host.frames()).toContain("user_speech false");
  });

  test("the uplink is recorded as a WAV at the input rate", () => {
    const { host, agent } = setup(640 * 10);
    const signal = pcm16(modulatedTone(400));
    feed(host, agent, modulatedTone(400));
    const wav = readWav(agent.uplinkWav());
    expect(wav.sampleRate).toBe(16000);
    expect(wav.data.byteLength).toBe(6400);
    expect(wav.data).toEqual(signal.subarray(signal.byteLength - 6400));
    expect(agent.info().uplink).toEqual({
      receivedBytes: 12800,
      keptBytes: 6400,
      droppedBytes: 6400,
    });
  });

  test("client interrupt: answered for the client's turn, speech stops", () => {
    const { host, agent } = setup();
    agent.speakReply("t1", "one two three four five");
    host.clock.advance(100);
    agent.clientInterrupt("t1", 90);
    expect(host.frames().slice(-2)).toEqual(["interrupt:t1 client", "agent_state listening"]);
    expect(agent.info().turns[0]).toMatchObject({ status: "interrupted", playedMs: 90 });
    agent.clientInterrupt("old", 0);
    expect(host.frames().at(-1)).toBe("interrupt:old client");
  });

  test("deactivate (a text-only resume): speech stopped by the server, agent idle, replies not spoken", () => {
    const { host, agent } = setup();
    agent.speakReply("t1", "one two three");
    feed(host, agent, modulatedTone(200));
    host.clear();
    agent.deactivate();
    expect(host.frames()).toEqual(["user_speech false", "agent_state idle"]);
    expect(agent.speakReply("t2", "hello")).toBe(false);
    expect(agent.say("s", { text: "hi", durationMs: 1000 })).toBe(false);
    agent.activate();
    expect(host.frames().at(-1)).toBe("agent_state listening");
  });

  test("say: a tone for its duration, with or without text", () => {
    const { host, agent } = setup();
    expect(agent.say("s1", { toneHz: 1000, durationMs: 500 })).toBe(true);
    host.clock.advance(5000);
    expect(host.audio().reduce((n, a) => n + a.bytes, 0)).toBe(500 * 48);
    expect(host.frames().some((f) => f.startsWith("agent_reply"))).toBe(false);
    expect(agent.say("s2", { text: "hello there", durationMs: 1000 })).toBe(true);
    expect(host.frames()).toContain("agent_reply:s2 hello there");
  });

  test("dispose frees the VAD and stops timers", () => {
    const { host, agent } = setup();
    agent.speakReply("t1", "one two three");
    host.clear();
    agent.dispose();
    host.clock.advance(10_000);
    expect(host.sent).toEqual([]);
    expect(() => agent.receive(new Uint8Array(640))).toThrow(/after free/);
  });

  test("a streamed reply is spoken word by word as its text grows; an utterance taken by an agent gets no built-in reply", () => {
    const host = new RecordingHost();
    const asked: string[] = [];
    const interrupted: [string, string | undefined][] = [];
    const agent = new VoiceAgent(
      Object.assign(host, {
        agentTurn: (turnId: string, text: string) => {
          asked.push(`${turnId} ${text}`);
          return true;
        },
        agentInterrupted: (turnId: string, heard: string | undefined) =>
          interrupted.push([turnId, heard]),
      }),
      { audio: AUDIO, vad, maxUplinkBytes: 1024 },
    );
    agent.activate();
    feed(host, agent, utterance());
    host.clock.advance(THINKING_MS + 1000);
    expect(asked).toEqual([expect.stringMatching(/^voice-1 \(speech, 1\.\d s\)$/)]);
    expect(host.frames().some((f) => f.startsWith("agent_reply"))).toBe(false);
    expect(host.frames().at(-1)).toBe("agent_state:voice-1 thinking");
    agent.streamReply("voice-1", "Hel", false); // no complete word: nothing to say yet
    expect(host.frames().at(-1)).toBe("agent_state:voice-1 thinking");
    agent.streamReply("voice-1", "Hello there ", false);
    expect(host.frames().slice(-2)).toEqual([
      "agent_state:voice-1 speaking",
      "audio_start:voice-1",
    ]);
    // "Hello" (180 ms) + gap (70) + "there" (180): the caller has heard "Hello" after 200 ms.
    host.clock.advance(200);
    // Barge-in: the user speaks; the agent hears what was heard of its turn.
    feed(host, agent, modulatedTone(600));
    expect(interrupted).toEqual([["voice-1", "Hello"]]);
    expect(host.frames()).toContain("interrupt:voice-1 barge_in");
    const sentBefore = host.audio().length;
    agent.streamReply("voice-1", "Hello there friend ", true);
    host.clock.advance(2000);
    expect(host.audio().length).toBe(sentBefore);
  });

  test("the client's interrupt reports the exact words heard (played_ms)", () => {
    const host = new RecordingHost();
    const interrupted: [string, string | undefined][] = [];
    const agent = new VoiceAgent(
      Object.assign(host, {
        agentInterrupted: (t: string, h: string | undefined) => interrupted.push([t, h]),
      }),
      { audio: AUDIO, vad, maxUplinkBytes: 1024 },
    );
    agent.activate();
    expect(agent.speakReply("t1", "one two three")).toBe(true);
    // one: 140 ms, gap 70, two: 140 ms → "two" ends at 350 ms.
    agent.clientInterrupt("t1", 360);
    expect(interrupted).toEqual([["t1", "one two"]]);
    expect(agent.speakReply("t2", "four five")).toBe(true);
    agent.clientInterrupt("t2", 10); // before "four" ended: nothing heard
    expect(interrupted.at(-1)).toEqual(["t2", ""]);
  });
});
