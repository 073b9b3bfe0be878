import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { type DevServer, startDevServer } from "../src/index.js";
import { speechTones } from "../src/rtc/voice/synth.js";
import { THINKING_MS } from "../src/rtc/voice/voiceAgent.js";
import { FakeClock, type Frame, rtcUrl } from "./helpers.js";
import { tick, token, VoiceClient } from "./voice/client.js";
import {
  concat,
  frames,
  goertzel,
  joinBytes,
  modulatedTone,
  pcm16,
  quiet,
  readWav,
  samplesOf,
} from "./voice/signals.js";

let server: DevServer;
let clock: FakeClock;
const open: VoiceClient[] = [];
beforeAll(async () => {
  clock = new FakeClock();
  server = await startDevServer({ clock, faults: true });
});
afterAll(() => server.close());
afterEach(() => {
  for (const c of open.splice(0)) c.ws.terminate();
});

const AUDIO = {
  input: { encoding: "pcm_s16le", sample_rate: 16000, channels: 1, frame_ms: 20 },
  output: { encoding: "pcm_s16le", sample_rate: 24000, channels: 1 },
};
const OUT_FRAME_BYTES = 960; // 20 ms at 24 kHz

async function connect(
  params: Record<string, string | number> = { audio: "pcm_s16le" },
  grant: Parameters<typeof token>[1] = {},
  on: DevServer = server,
): Promise<{ c: VoiceClient; joined: Frame; sid: string }> {
  const c = await VoiceClient.connect(
    rtcUrl(on, { access_token: await token(on, grant), ...params }),
  );
  open.push(c);
  const joined = await c.next("joined");
  return { c, joined, sid: joined.session_id as string };
}

/**
 * Sends a signal as 20 ms uplink frames, moving the fake clock 20 ms per frame. With `sid`,
 * every 10 frames it waits until the server has taken them, so a busy machine can never let
 * the fake clock run ahead of the uplink (pass none when the frames are not recorded, e.g.
 * while muted).
 */
async function speak(c: VoiceClient, signal: ArrayLike<number>, sid?: string): Promise<void> {
  const all = frames(pcm16(signal), 640);
  const start = sid === undefined ? 0 : server.rtc.audio(sid).receivedBytes;
  for (const [i, f] of all.entries()) {
    c.sendAudio(f);
    clock.advance(20);
    if (i % 10 !== 9) continue;
    if (sid === undefined) await tick(1);
    else {
      const taken = start + (i + 1) * 640;
      await c.until(() => server.rtc.audio(sid).receivedBytes >= taken, `${i + 1} frames taken`);
    }
  }
  await tick(20);
}

/** Moves the fake clock in 20 ms steps, letting the sockets deliver between steps. */
async function play(ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 20) {
    clock.advance(20);
    if ((t / 20) % 5 === 4) await tick(1);
  }
  await tick(20);
}

function admin(path: string, init: RequestInit = {}, on: DevServer = server) {
  return fetch(`${on.url}${path}`, {
    ...init,
    headers: { "X-Dev-Admin": on.adminSecret, "Content-Type": "application/json", ...init.headers },
  });
}

/** The binary frames that arrived after the text frame matching `match`. */
function audioAfter(c: VoiceClient, match: Partial<Frame>): Uint8Array[] {
  const at = c.indexOf(match);
  expect(at).toBeGreaterThanOrEqual(0);
  return c.log.slice(at + 1).flatMap((r) => ("audio" in r ? [r.audio] : []));
}

function joinAudio(chunks: Uint8Array[]): Int16Array {
  return samplesOf(joinBytes(chunks));
}

describe("negotiation", () => {
  test("audio=pcm_s16le: joined.audio with the server's formats, then agent_state listening", async () => {
    const { c, joined } = await connect();
    expect(joined.audio).toEqual(AUDIO);
    expect(await c.next("agent_state")).toEqual({
      type: "agent_state",
      seq: 2,
      state: "listening",
    });
  });

  test("no audio parameter, or another value: joined without audio, and never a binary frame", async () => {
    for (const params of [{}, { audio: "opus" }, { audio: "PCM_S16LE" }, { audio: "" }]) {
      const { c, joined, sid } = await connect(params);
      expect(joined).not.toHaveProperty("audio");
      c.sendFrame({ type: "user_text", text: "hello there" });
      await c.next("agent_reply");
      expect(() => server.rtc.say(sid, { text: "hi" })).toThrow(/sessionId/);
      await play(500);
      expect(c.audio()).toEqual([]);
      expect(c.frames().map((f) => f.type)).toEqual(["joined", "user_turn", "agent_reply", "ack"]);
    }
  });

  test("the echo agent's reply is spoken in an audio session", async () => {
    const { c } = await connect();
    c.sendFrame({ type: "user_text", text: "hello there" });
    const reply = await c.next("agent_reply");
    expect(reply.text).toBe("Echo: hello there");
    expect(await c.next("agent_state")).toMatchObject({
      state: "speaking",
      turn_id: reply.turn_id,
    });
    expect(await c.next("audio_start")).toMatchObject({ turn_id: reply.turn_id });
    await play(2000);
    await c.next("audio_end");
    const bytes = audioAfter(c, { type: "audio_start" }).reduce((n, a) => n + a.byteLength, 0);
    const expected = speechTones("Echo: hello there", 24000).reduce((n, s) => n + s.samples, 0);
    expect(bytes).toBe(expected * 2);
  });

  test("resume: audio follows what each reconnect asks for", async () => {
    const { c, sid } = await connect({});
    c.ws.terminate();
    await tick(20);
    const resumed = await connect({ reconnect: 1, sid, last_seq: c.lastSeq(), audio: "pcm_s16le" });
    expect(resumed.joined).toMatchObject({ resumed: true, audio: AUDIO });
    expect(await resumed.c.next("agent_state")).toMatchObject({ state: "listening" });
    resumed.c.ws.terminate();
    await tick(20);
    const text = await connect({ reconnect: 1, sid, last_seq: resumed.c.lastSeq() });
    expect(text.joined).not.toHaveProperty("audio");
    expect(await text.c.next("agent_state")).toMatchObject({ state: "idle" });
    expect(() => server.rtc.say(sid, { text: "hi" })).toThrow(/no audio connection/);
  });

  test("audio: false on the server: the parameter is ignored", async () => {
    const off = await startDevServer({ audio: false });
    try {
      const { joined } = await connect({ audio: "pcm_s16le" }, {}, off);
      expect(joined).not.toHaveProperty("audio");
    } finally {
      await off.close();
    }
  });

  test("other rates: joined says them, and frames follow them", async () => {
    const s = await startDevServer({
      clock,
      faults: true,
      audio: { inputSampleRate: 48000, outputSampleRate: 16000 },
    });
    try {
      const { c, joined, sid } = await connect({ audio: "pcm_s16le" }, {}, s);
      expect(joined.audio).toEqual({
        input: { ...AUDIO.input, sample_rate: 48000 },
        output: { ...AUDIO.output, sample_rate: 16000 },
      });
      c.sendAudio(new Uint8Array(640));
      expect(await c.next("error")).toMatchObject({ code: "bad_frame" });
      c.sendAudio(new Uint8Array(1920));
      s.rtc.say(sid, { tone_hz: 500, duration_ms: 100 });
      await play(300);
      expect(c.audio().map((a) => a.byteLength)).toEqual([640, 640, 640, 640, 640]);
      expect(s.rtc.audio(sid).receivedBytes).toBe(1920);
    } finally {
      await s.close();
    }
  });

  test("bad audio options are refused, naming the option", async () => {
    await expect(startDevServer({ audio: { inputSampleRate: 24000 } })).rejects.toMatchObject({
      name: "UnpodArgumentError",
      option: "audio.inputSampleRate",
    });
    await expect(startDevServer({ audio: { outputSampleRate: 7999 } })).rejects.toMatchObject({
      option: "audio.outputSampleRate",
    });
    await expect(startDevServer({ audio: { maxUplinkBytes: -1 } })).rejects.toMatchObject({
      option: "audio.maxUplinkBytes",
    });
    await expect(startDevServer({ audio: true as never })).rejects.toMatchObject({
      option: "audio",
    });
  });
});

describe("uplink rules", () => {
  test("a frame of the wrong size is bad_frame; over 8 KiB closes the socket with 4400", async () => {
    const { c } = await connect();
    c.sendAudio(new Uint8Array(642));
    expect(await c.next("error")).toMatchObject({
      code: "bad_frame",
      message: "Audio frame of 642 bytes; expected 640 (20 ms of 16000 Hz pcm_s16le).",
    });
    c.sendAudio(new Uint8Array(8192));
    expect(await c.next("error")).toMatchObject({ code: "bad_frame" });
    c.sendAudio(new Uint8Array(8193));
    expect((await c.closed).code).toBe(4400);
  });

  test("binary in a session without audio is bad_frame; the fifth violation closes 4400", async () => {
    const { c } = await connect({});
    for (let i = 0; i < 4; i++) c.sendAudio(new Uint8Array(640));
    await c.until(() => c.frames().filter((f) => f.type === "error").length === 4, "4 errors");
    expect(c.frames().at(-1)).toMatchObject({
      code: "bad_frame",
      message: "Binary frame on a connection that did not ask for audio (audio=pcm_s16le).",
    });
    c.sendAudio(new Uint8Array(640));
    expect((await c.closed).code).toBe(4400);
  });

  test("without canPublish: permission_denied once, then audio is ignored", async () => {
    for (const grant of [{ canPublish: false }, { canPublishSources: ["camera"] as never }]) {
      const { c, sid } = await connect({ audio: "pcm_s16le" }, grant);
      for (let i = 0; i < 5; i++) c.sendAudio(new Uint8Array(640));
      c.sendFrame({ type: "user_text", text: "marker" });
      await c.next("agent_reply");
      const errors = c.frames().filter((f) => f.type === "error");
      expect(errors).toEqual([
        {
          type: "error",
          seq: expect.any(Number),
          code: "permission_denied",
          message: expect.stringMatching(/canPublish/),
        },
      ]);
      expect(server.rtc.audio(sid).receivedBytes).toBe(0);
    }
    const { c, sid } = await connect(
      { audio: "pcm_s16le" },
      { canPublishSources: ["microphone"] as never },
    );
    c.sendAudio(new Uint8Array(640));
    await c.until(() => server.rtc.audio(sid).receivedBytes === 640, "the frame recorded");
  });
});

describe("hearing the user", () => {
  test("1.4 s of voice then silence: user_speech, the user_turn, thinking, and a spoken reply", async () => {
    const { c, sid } = await connect();
    await speak(c, concat(quiet(300), modulatedTone(1400), quiet(900)), sid);
    expect(await c.next("user_speech")).toMatchObject({ speaking: true });
    expect(await c.next("user_speech")).toMatchObject({ speaking: false });
    const turn = await c.next("user_turn");
    const seconds = Number(/^\(speech, (\d\.\d) s\)$/.exec(turn.text as string)?.[1]);
    expect(seconds).toBeGreaterThanOrEqual(1.4);
    expect(seconds).toBeLessThanOrEqual(1.6);
    expect(turn).toMatchObject({ turn_id: "voice-1", final: true });
    expect(await c.next("agent_state")).toMatchObject({ state: "thinking", turn_id: "voice-1" });
    await play(THINKING_MS);
    const reply = await c.next("agent_reply");
    expect(reply).toMatchObject({
      turn_id: "voice-1",
      text: `I heard ${seconds.toFixed(1)} seconds of speech.`,
      final: true,
    });
    expect(await c.next("agent_state")).toMatchObject({ state: "speaking", turn_id: "voice-1" });
    await c.next("audio_start");
    const samples = speechTones(reply.text as string, 24000).reduce((n, s) => n + s.samples, 0);
    await play(samples / 24);
    await c.next("audio_end");
    const audio = audioAfter(c, { type: "audio_start", turn_id: "voice-1" });
    const endAt = c.indexOf({ type: "audio_end", turn_id: "voice-1" });
    expect(c.log.slice(endAt + 1).some((r) => "audio" in r)).toBe(false);
    expect(audio.reduce((n, a) => n + a.byteLength, 0)).toBe(samples * 2);
    for (const a of audio.slice(0, -1)) expect(a.byteLength).toBe(OUT_FRAME_BYTES);
    expect(audio.at(-1)?.byteLength).toBeLessThanOrEqual(OUT_FRAME_BYTES);
    expect(audio.at(-1)?.byteLength).toBe(((samples * 2 - 1) % OUT_FRAME_BYTES) + 1);
    // The client reports playback: the agent is listening again at once.
    c.sendFrame({ type: "playback", turn_id: "voice-1", played_ms: Math.round(samples / 24) });
    expect(await c.next("agent_state")).toMatchObject({ state: "listening" });
    const voice = server.rtc.sessions().find((s) => s.sessionId === sid)?.voice;
    expect(voice?.turns.at(-1)).toEqual({
      turnId: "voice-1",
      durationMs: Math.round(samples / 24),
      sentMs: Math.round(samples / 24),
      playedMs: Math.round(samples / 24),
      status: "played",
    });
  });

  test("the agent's audio is paced in real time: 80 ms at once, then 20 ms per 20 ms", async () => {
    const { c, sid } = await connect();
    server.rtc.say(sid, { tone_hz: 440, duration_ms: 1000 });
    await c.next("audio_start");
    await tick(20);
    expect(c.audio().length).toBe(4);
    for (let step = 1; step <= 10; step++) {
      clock.advance(20);
      await c.until(() => c.audio().length === 4 + step, `frame ${4 + step}`);
      await tick(2);
      expect(c.audio().length).toBe(4 + step);
    }
  });

  test("barge-in: the user speaks over the agent → interrupt barge_in, and its audio stops", async () => {
    const { c, sid } = await connect();
    const turnId = server.rtc.say(sid, { text: "a long answer with many many words to speak" });
    await c.next("audio_start");
    await play(200);
    await speak(c, modulatedTone(400), sid);
    expect(await c.next("user_speech")).toMatchObject({ speaking: true });
    expect(await c.next("interrupt")).toMatchObject({ turn_id: turnId, reason: "barge_in" });
    expect(await c.next("agent_state")).toMatchObject({ state: "listening" });
    await play(3000);
    // After the interrupt, no audio until the next turn (the answer to this utterance) starts.
    const cut = c.indexOf({ type: "interrupt" });
    const next = c.indexOf({ type: "audio_start", turn_id: "voice-1" });
    expect(next).toBeGreaterThan(cut);
    expect(c.log.slice(cut, next).some((r) => "audio" in r)).toBe(false);
    expect(c.indexOf({ type: "audio_end", turn_id: turnId })).toBe(-1);
  });

  test("barge-in after audio_end, before the client's playback, still interrupts the turn", async () => {
    const { c, sid } = await connect();
    const turnId = server.rtc.say(sid, { tone_hz: 300, duration_ms: 100 });
    await play(100);
    await c.next("audio_end");
    await speak(c, modulatedTone(200), sid);
    expect(await c.next("interrupt")).toMatchObject({ turn_id: turnId, reason: "barge_in" });
  });

  test("after the client's playback the agent is done: speech then interrupts nothing", async () => {
    const { c, sid } = await connect();
    const turnId = server.rtc.say(sid, { tone_hz: 300, duration_ms: 100 });
    await play(100);
    await c.next("audio_end");
    const end = c.lastSeq();
    c.sendFrame({ type: "playback", turn_id: turnId, played_ms: 100 });
    await c.until(() => c.lastSeq() > end, "an answer to playback");
    expect(c.frames().at(-1)).toMatchObject({ type: "agent_state", state: "listening" });
    await speak(c, modulatedTone(200), sid);
    await c.next("user_speech");
    expect(c.frames().filter((f) => f.type === "interrupt")).toEqual([]);
  });

  test("without a playback report, listening comes 1.5 s after audio_end", async () => {
    const { c, sid } = await connect();
    server.rtc.say(sid, { tone_hz: 300, duration_ms: 100 });
    await play(100);
    await c.next("audio_end");
    await play(1400);
    expect(c.frames().at(-1)?.type).toBe("audio_end");
    await play(100);
    expect(c.frames().at(-1)).toMatchObject({ type: "agent_state", state: "listening" });
  });

  test("client interrupt: answered with reason client, the audio stops", async () => {
    const { c, sid } = await connect();
    const turnId = server.rtc.say(sid, { tone_hz: 440, duration_ms: 3000 });
    await c.next("audio_start");
    await play(100);
    c.sendFrame({ type: "interrupt", turn_id: turnId, played_ms: 90 });
    expect(await c.next("interrupt")).toEqual({
      type: "interrupt",
      seq: expect.any(Number),
      turn_id: turnId,
      reason: "client",
    });
    expect(await c.next("agent_state")).toMatchObject({ state: "listening" });
    await play(1000);
    expect(audioAfter(c, { type: "interrupt" })).toEqual([]);
    // Voice control frames are client frames like any other: processed once, acknowledged.
    expect(c.frames().filter((f) => f.type === "ack")).toEqual([{ type: "ack", client_seq: 1 }]);
    const turn = server.rtc
      .sessions()
      .find((s) => s.sessionId === sid)
      ?.voice?.turns.at(-1);
    expect(turn).toMatchObject({ turnId, status: "interrupted", playedMs: 90 });
  });

  test("canSubscribe: false: the turn's control frames, but no audio", async () => {
    const { c, sid } = await connect({ audio: "pcm_s16le" }, { canSubscribe: false });
    const turnId = server.rtc.say(sid, { tone_hz: 440, duration_ms: 200 });
    await play(300);
    expect(await c.next("audio_end")).toMatchObject({ turn_id: turnId });
    expect(c.audio()).toEqual([]);
  });

  test("mute: no recording and no hearing while muted; unmute: it grows again", async () => {
    const { c, sid } = await connect();
    await speak(c, quiet(200), sid);
    await c.until(() => server.rtc.audio(sid).receivedBytes === 6400, "10 frames");
    c.sendFrame({ type: "mute", muted: true });
    await speak(c, modulatedTone(1000));
    await tick(30);
    expect(server.rtc.audio(sid).receivedBytes).toBe(6400);
    expect(c.frames().some((f) => f.type === "user_speech")).toBe(false);
    c.sendFrame({ type: "mute", muted: false });
    await speak(c, quiet(200), sid);
    await c.until(() => server.rtc.audio(sid).receivedBytes === 12800, "10 more frames");
  });
});

describe("admin routes and server.rtc", () => {
  test("say with tone_hz: the binary frames are that tone", async () => {
    const { c, sid } = await connect();
    const res = await admin(`/__dev/rtc/say?sid=${sid}`, {
      method: "POST",
      body: JSON.stringify({ tone_hz: 1000, duration_ms: 500 }),
    });
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as { data: { turn_id: string } };
    expect(data.turn_id).toMatch(/^say-\d+$/);
    expect(await c.next("audio_start")).toMatchObject({ turn_id: data.turn_id });
    await play(1000);
    await c.next("audio_end");
    const pcm = joinAudio(audioAfter(c, { type: "audio_start" }));
    expect(pcm.length).toBe(12000);
    const at = goertzel(pcm, 1000, 24000);
    expect(at).toBeGreaterThan(20 * goertzel(pcm, 1040, 24000));
    expect(at).toBeGreaterThan(20 * goertzel(pcm, 960, 24000));
    // No agent_reply for a tone without text.
    expect(c.frames().some((f) => f.type === "agent_reply")).toBe(false);
  });

  test("say with text: the reply's words, one tone burst each", async () => {
    const { c, sid } = await connect();
    const turnId = server.rtc.say(sid, { text: "hello voice" });
    expect(await c.next("agent_reply")).toMatchObject({ turn_id: turnId, text: "hello voice" });
    await play(1500);
    await c.next("audio_end");
    const pcm = joinAudio(audioAfter(c, { type: "audio_start" }));
    const [hello, , voice] = speechTones("hello voice", 24000);
    const first = pcm.subarray(0, hello?.samples);
    expect(goertzel(first, hello?.hz ?? 0, 24000)).toBeGreaterThan(
      20 * goertzel(first, (hello?.hz ?? 0) + 50, 24000),
    );
    const last = pcm.subarray(pcm.length - (voice?.samples ?? 0));
    expect(goertzel(last, voice?.hz ?? 0, 24000)).toBeGreaterThan(
      20 * goertzel(last, (voice?.hz ?? 0) + 50, 24000),
    );
  });

  test("say and interrupt validate their input, with typed errors and typed 400/404/409s", async () => {
    const { sid } = await connect();
    const text = await connect({});
    const cases: [unknown, string][] = [
      [{}, "text"],
      [{ text: "   " }, "text"],
      [{ text: 5 }, "text"],
      [{ text: "x".repeat(4001) }, "text"],
      [{ tone_hz: 10 }, "tone_hz"],
      [{ tone_hz: 12000 }, "tone_hz"],
      [{ tone_hz: "440" }, "tone_hz"],
      [{ tone_hz: 440, duration_ms: 0 }, "duration_ms"],
      [{ tone_hz: 440, duration_ms: 30001 }, "duration_ms"],
      [{ tone_hz: 440, duration_ms: 1.5 }, "duration_ms"],
      [{ text: "hi", duration_ms: 100 }, "duration_ms"],
      [{ toneHz: 440 }, "toneHz"],
      [null, "request"],
      [[1], "request"],
    ];
    for (const [body, option] of cases) {
      expect(() => server.rtc.say(sid, body as never)).toThrow(
        expect.objectContaining({ name: "UnpodArgumentError", option }),
      );
      const res = await admin(`/__dev/rtc/say?sid=${sid}`, {
        method: "POST",
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { message: string }).message).toMatch(
        new RegExp(`^${option}: `),
      );
    }
    expect(() => server.rtc.say("SE_nope", { text: "hi" })).toThrow(
      expect.objectContaining({ option: "sessionId" }),
    );
    const missing = await admin("/__dev/rtc/say?sid=SE_nope", {
      method: "POST",
      body: '{"text":"hi"}',
    });
    expect(missing.status).toBe(404);
    const noSid = await admin("/__dev/rtc/say", { method: "POST", body: '{"text":"hi"}' });
    expect(noSid.status).toBe(400);
    const textOnly = await admin(`/__dev/rtc/say?sid=${text.sid}`, {
      method: "POST",
      body: '{"text":"hi"}',
    });
    expect(textOnly.status).toBe(409);
    expect((await admin(`/__dev/rtc/audio?sid=${text.sid}`)).status).toBe(409);
    expect((await admin(`/__dev/rtc/interrupt?sid=${text.sid}`, { method: "POST" })).status).toBe(
      409,
    );
    expect((await admin("/__dev/rtc/interrupt?sid=SE_nope", { method: "POST" })).status).toBe(404);
    expect(() => server.rtc.interrupt(text.sid)).toThrow(
      expect.objectContaining({ option: "sessionId" }),
    );
    expect(() => server.rtc.audio("SE_nope")).toThrow(
      expect.objectContaining({ option: "sessionId" }),
    );
  });

  test("the speech queue is bounded: a full queue refuses say with 409", async () => {
    const { sid } = await connect();
    for (let i = 0; i < 9; i++) server.rtc.say(sid, { tone_hz: 440, duration_ms: 1000 });
    expect(() => server.rtc.say(sid, { tone_hz: 440 })).toThrow(/speech queue is full/);
    const res = await admin(`/__dev/rtc/say?sid=${sid}`, {
      method: "POST",
      body: '{"tone_hz":440}',
    });
    expect(res.status).toBe(409);
    expect(server.rtc.interrupt(sid)).toMatch(/^say-/);
    expect(server.rtc.interrupt(sid)).toBeUndefined();
  });

  test("POST /__dev/rtc/interrupt is a barge-in of the turn being spoken", async () => {
    const { c, sid } = await connect();
    const turnId = server.rtc.say(sid, { tone_hz: 440, duration_ms: 2000 });
    await c.next("audio_start");
    const res = await admin(`/__dev/rtc/interrupt?sid=${sid}`, { method: "POST" });
    expect(await res.json()).toMatchObject({ data: { turn_id: turnId } });
    expect(await c.next("interrupt")).toMatchObject({ turn_id: turnId, reason: "barge_in" });
    await play(500);
    expect(audioAfter(c, { type: "interrupt" })).toEqual([]);
    const again = await admin(`/__dev/rtc/interrupt?sid=${sid}`, { method: "POST" });
    expect(await again.json()).toMatchObject({ data: { turn_id: null } });
  });

  test("GET /__dev/rtc/audio: a WAV of exactly the samples sent", async () => {
    const { c, sid } = await connect();
    const sent = pcm16(modulatedTone(600));
    await speak(c, modulatedTone(600), sid);
    await c.until(() => server.rtc.audio(sid).receivedBytes === sent.byteLength, "all frames");
    const res = await admin(`/__dev/rtc/audio?sid=${sid}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("audio/wav");
    expect(res.headers.get("x-dev-audio-received-bytes")).toBe(String(sent.byteLength));
    expect(res.headers.get("x-dev-audio-dropped-bytes")).toBe("0");
    const wav = readWav(new Uint8Array(await res.arrayBuffer()));
    expect(wav).toMatchObject({
      riff: "RIFF",
      wave: "WAVE",
      format: 1,
      channels: 1,
      sampleRate: 16000,
      bitsPerSample: 16,
      byteRate: 32000,
      blockAlign: 2,
      dataBytes: sent.byteLength,
      riffSize: 36 + sent.byteLength,
    });
    expect(wav.data).toEqual(sent);
    const pcm = samplesOf(wav.data);
    expect(goertzel(pcm, 440, 16000)).toBeGreaterThan(20 * goertzel(pcm, 480, 16000));
    expect(server.rtc.audio(sid)).toMatchObject({ sampleRate: 16000, keptBytes: sent.byteLength });
  });

  test("the uplink kept per session is capped: the newest audio stays", async () => {
    const s = await startDevServer({ clock, audio: { maxUplinkBytes: 6400 } });
    try {
      const { c, sid } = await connect({ audio: "pcm_s16le" }, {}, s);
      const sent = pcm16(modulatedTone(400));
      for (const f of frames(sent, 640)) c.sendAudio(f);
      await c.until(() => s.rtc.audio(sid).receivedBytes === 12800, "20 frames");
      const audio = s.rtc.audio(sid);
      expect(audio).toMatchObject({ receivedBytes: 12800, keptBytes: 6400, droppedBytes: 6400 });
      expect(readWav(audio.wav).data).toEqual(sent.subarray(6400));
    } finally {
      await s.close();
    }
  });

  test("the voice routes exist only with faults: true, and need X-Dev-Admin", async () => {
    const { sid } = await connect();
    const routes = [
      ["GET", "/__dev/rtc/audio"],
      ["POST", "/__dev/rtc/say"],
      ["POST", "/__dev/rtc/interrupt"],
    ] as const;
    for (const [method, path] of routes) {
      const wrong = await fetch(`${server.url}${path}?sid=${sid}`, {
        method,
        headers: { "X-Dev-Admin": "wrong" },
      });
      expect(wrong.status).toBe(401);
      const none = await fetch(`${server.url}${path}?sid=${sid}`, { method });
      expect(none.status).toBe(401);
    }
    const plain = await startDevServer();
    try {
      for (const [method, path] of routes) {
        const res = await fetch(`${plain.url}${path}?sid=${sid}`, {
          method,
          headers: { "X-Dev-Admin": plain.adminSecret },
        });
        expect(res.status).toBe(404);
      }
    } finally {
      await plain.close();
    }
  });
});

describe("drops and resumes", () => {
  test("a drop loses the audio in flight; the replay has the turn's control frames, never audio", async () => {
    const { c, sid } = await connect();
    const turnId = server.rtc.say(sid, { text: "one two three four five six" });
    await c.next("audio_start");
    await play(200);
    const heard = c.audio().length;
    expect(heard).toBeGreaterThan(4);
    const seen = c.lastSeq();
    server.rtc.dropSession(sid);
    await c.closed;
    await play(5000); // the turn runs out on the clock, audio lost, control frames buffered
    const r = await connect({ reconnect: 1, sid, last_seq: seen, audio: "pcm_s16le" });
    await tick(50);
    const replay = r.c.frames().slice(1);
    expect(replay.map((f) => [f.type, f.state ?? f.turn_id])).toEqual([
      ["audio_end", turnId],
      ["agent_state", "listening"],
    ]);
    expect(r.c.audio()).toEqual([]);
    expect(replay.every((f) => (f.seq as number) > seen)).toBe(true);
    const turn = server.rtc
      .sessions()
      .find((s) => s.sessionId === sid)
      ?.voice?.turns.at(-1);
    expect(turn).toMatchObject({ turnId, status: "sent" });
  });

  test("a resume mid-turn gets the replayed frames, then the rest of the turn's audio", async () => {
    const { c, sid } = await connect();
    const turnId = server.rtc.say(sid, { tone_hz: 440, duration_ms: 2000 });
    await c.next("audio_start");
    const seq = c.lastSeq();
    c.ws.terminate();
    await tick(20);
    clock.advance(500);
    const r = await connect({ reconnect: 1, sid, last_seq: seq - 2, audio: "pcm_s16le" });
    await tick(20);
    expect(
      r.c
        .frames()
        .slice(1)
        .map((f) => f.type),
    ).toEqual(["agent_state", "audio_start"]);
    await play(2000);
    await r.c.next("audio_end");
    const after = r.c.audio().reduce((n, a) => n + a.byteLength, 0);
    // What was due after the resume, at 48 bytes per ms (lost: the first 580 ms).
    expect(after).toBe((2000 - 580) * 48);
    expect(audioAfter(r.c, { type: "audio_start", turn_id: turnId }).length).toBe(
      r.c.audio().length,
    );
  });

  test("a drop mid-utterance ends it: the turn is answered into the buffer", async () => {
    const { c, sid } = await connect();
    await speak(c, modulatedTone(600), sid);
    await c.next("user_speech");
    const seen = c.lastSeq();
    c.ws.terminate();
    await tick(20);
    await play(THINKING_MS);
    const r = await connect({ reconnect: 1, sid, last_seq: seen, audio: "pcm_s16le" });
    await r.c.next("user_turn");
    await r.c.next("agent_reply");
  });
});
