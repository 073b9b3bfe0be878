// The voice agent on the real clock (the built server, in this process):
// - pacing: N voice sessions at once, each told to say a 3 s tone; every binary frame's
//   arrival at a plain `ws` client against the ideal schedule (frame k of 20 ms is due
//   (k + 1) × 20 − 80 ms after audio_start: 80 ms go at once);
// - hearing: the server CPU each session's uplink costs (50 frames/s of a modulated tone
//   through the WebRTC VAD), next to the same sessions sending nothing, in the same run.
//
//   node bench/voice.mjs [--sessions 20]
import { parseArgs } from "node:util";
import { AccessToken } from "@unpod/node";
import { WebSocket } from "ws";
import { startDevServer } from "../dist/index.js";

const { values } = parseArgs({ options: { sessions: { type: "string", default: "20" } } });
const sessions = Number(values.sessions);
const server = await startDevServer({ faults: true });
const { apiKey, apiSecret } = server.credentials;

async function open(i) {
  const token = await new AccessToken({ apiKey, apiSecret, identity: `u${i}`, ttl: "10m" })
    .addGrant({ roomJoin: true, room: "bench", canPublish: true })
    .toJwt();
  const ws = new WebSocket(`${server.rtcUrl}/v1/rtc?access_token=${token}&audio=pcm_s16le`);
  const c = { ws, sid: "", start: 0, arrivals: [], ended: false };
  await new Promise((resolve, reject) => {
    ws.on("message", (data, binary) => {
      if (binary) {
        c.arrivals.push(performance.now());
        return;
      }
      const f = JSON.parse(String(data));
      if (f.type === "joined") {
        c.sid = f.session_id;
        resolve();
      } else if (f.type === "audio_start") c.start = performance.now();
      else if (f.type === "audio_end") c.ended = true;
    });
    ws.once("error", reject);
  });
  return c;
}

const pct = (xs, p) =>
  xs.toSorted((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const clients = await Promise.all(Array.from({ length: sessions }, (_, i) => open(i)));

// Pacing.
for (const c of clients) server.rtc.say(c.sid, { tone_hz: 440, duration_ms: 3000 });
while (!clients.every((c) => c.ended)) await new Promise((r) => setTimeout(r, 50));
// The client cannot see the server's start, and with many sessions their audio_start frames
// reach it a few ms apart: measure each frame against its session's earliest frame instead.
const late = clients.flatMap((c) => {
  const offsets = c.arrivals.map((t, k) => t - c.start - Math.max(0, (k + 1) * 20 - 80));
  const first = Math.min(...offsets);
  return offsets.map((o) => o - first);
});
const spans = clients.map((c) => (c.arrivals.at(-1) - c.arrivals[0]).toFixed(1));
console.log(`pacing, ${sessions} sessions × 150 frames of a 3 s turn:`);
console.log(
  `  lateness against schedule (ms): p50 ${pct(late, 0.5).toFixed(2)}  p95 ${pct(late, 0.95).toFixed(2)}  p99 ${pct(late, 0.99).toFixed(2)}  max ${Math.max(...late).toFixed(2)}`,
);
console.log(
  `  first → last frame (ideal 2920 ms): ${[...new Set(spans)].slice(0, 5).join(", ")}${spans.length > 5 ? ", …" : ""}`,
);

// Hearing: CPU of the uplink, against idle sessions over the same wall time.
const frame = new Uint8Array(640);
const view = new DataView(frame.buffer);
async function uplink(send) {
  const before = process.cpuUsage();
  const t0 = performance.now();
  for (let k = 0; k < 150; k++) {
    if (send) {
      for (let i = 0; i < 320; i++) {
        const t = (k * 320 + i) / 16000;
        const v =
          6000 * (0.55 + 0.45 * Math.sin(2 * Math.PI * 4 * t)) * Math.sin(2 * Math.PI * 440 * t);
        view.setInt16(i * 2, Math.round(v), true);
      }
      for (const c of clients) c.ws.send(frame);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  await new Promise((r) => setTimeout(r, 100));
  const used = process.cpuUsage(before);
  return { cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - t0 };
}
const idle = await uplink(false);
const busy = await uplink(true);
const perSessionSecond = (busy.cpuMs - idle.cpuMs) / sessions / (busy.wallMs / 1000);
console.log(
  `hearing, ${sessions} sessions × 3 s of uplink at 50 frames/s (client and server in one process):`,
);
console.log(
  `  CPU ${busy.cpuMs.toFixed(0)} ms sending vs ${idle.cpuMs.toFixed(0)} ms idle → ${perSessionSecond.toFixed(1)} ms CPU per session per second of audio (${(perSessionSecond / 10).toFixed(2)} % of a core)`,
);

for (const c of clients) c.ws.close();
await server.close();
