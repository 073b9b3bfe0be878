// Voice latency in real Chromium, on the BUILT packages: `node bench/voice.mjs [turns]`.
// The client's own added latency, from UnpodVoice.getStats():
// - uplink: the capture worklet's last sample of a frame → the socket send (target p50 ≤ 25 ms);
// - downlink: a turn's first binary frame arriving → its first sample leaving the playback
//   worklet, prebuffer included (target p50 ≤ 60 ms);
// - interrupt → silence in the playback worklet, for interrupt() and for the server's
//   barge-in frame (target ≤ 50 ms);
// - the agent's sound ending at the page's tap → `agentState` back to `listening`
//   (target p50 ≤ 200 ms).
// The same interrupts are also timed from outside, through the page's tap on the output.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDevServer } from "@unpod/dev-server";
import { AccessToken } from "@unpod/node";
import { fakeMicrophoneArgs, launchChromium, modulatedToneWav } from "@unpod/testing";
import { percentile } from "./scenario.mjs";
import { helpers, instrument, servePage } from "./voicePage.mjs";

const turns = Number(process.argv[2] ?? 30);
const dir = await mkdtemp(join(tmpdir(), "unpod-voice-bench-"));
const wav = join(dir, "mic.wav");
await writeFile(wav, modulatedToneWav({ hz: 440, seconds: 8 }));
const server = await startDevServer();
const site = await servePage();
const browser = await launchChromium(fakeMicrophoneArgs(wav));

const token = new AccessToken({
  apiKey: server.credentials.apiKey,
  apiSecret: server.credentials.apiSecret,
  identity: "bench",
  ttl: "1h",
});
token.addGrant({ room: "bench", roomJoin: true, canPublish: true, canPublishData: true });

const page = await browser.newPage();
await page.addInitScript(instrument);
await page.goto(`${site.origin}/`);
await page.waitForFunction(() => window.ready === true);
await page.evaluate(helpers);
await page.evaluate(
  ({ url, token }) => {
    window.s = new window.unpod.UnpodSession({ serverUrl: url, token });
    window.v = new window.unpodVoice.UnpodVoice(window.s);
    window.v.on("agent_state", ({ state }) => {
      if (state === "listening") window.listeningAt = performance.now();
    });
    document.getElementById("go").onclick = () => window.s.connect();
  },
  { url: server.rtcUrl, token: await token.toJwt() },
);
await page.click("#go");
await page.waitForFunction(() => window.v.getSnapshot().status === "active");
const sid = await page.evaluate(() => window.s.getSnapshot().sessionId);

// Uplink: 5 s of the fake microphone.
await page.waitForTimeout(5000);
await page.evaluate(() => window.v.setMuted(true)); // no barge-in from here on
await page.waitForTimeout(1000);

// Downlink: short turns, one after another; each one's end → listening, seen from the tap.
const listening = [];
for (let i = 0; i < turns; i++) {
  server.rtc.say(sid, { tone_hz: 500 + 10 * i, duration_ms: 200 });
  await page.waitForFunction(() => window.v.getSnapshot().agentState === "speaking");
  listening.push(
    await page.evaluate(async () => {
      await window.h.loud();
      const silentAt = performance.now() + (await window.h.silentAfter(performance.now(), 5000));
      await window.h.until(
        () => window.v.getSnapshot().agentState === "listening",
        2000,
        "listening",
      );
      // Negative: the state flipped before the tap saw silence (its analyser window and
      // polling lag the sound by a few ms).
      return window.listeningAt - silentAt;
    }),
  );
}

// Interrupts: half by interrupt(), half by the server's barge-in; also timed at the tap.
const tapped = [];
for (let i = 0; i < turns; i++) {
  server.rtc.say(sid, { tone_hz: 700, duration_ms: 3000 });
  await page.evaluate(() => window.h.loud());
  await page.waitForTimeout(100);
  if (i % 2 === 0) {
    tapped.push(
      await page.evaluate(async () => {
        const t0 = performance.now();
        window.v.interrupt();
        return window.h.silentAfter(t0);
      }),
    );
  } else {
    const before = await page.evaluate(() => window.frames.length);
    server.rtc.interrupt(sid);
    tapped.push(
      await page.evaluate(async (from) => {
        await window.h.until(
          () => window.frames.slice(from).some((f) => f.type === "interrupt"),
          2000,
          "interrupt frame",
        );
        const at = window.frames.slice(from).find((f) => f.type === "interrupt").at;
        return window.h.silentAfter(at);
      }, before),
    );
  }
  await page.waitForFunction(() => window.v.getSnapshot().agentState !== "speaking");
}

const stats = await page.evaluate(() => window.v.getStats());
await page.evaluate(() => window.s.disconnect());
await browser.close();
await site.close();
await server.close();
await rm(dir, { recursive: true, force: true });

const row = (name, values, target) => {
  const sorted = [...values].sort((a, b) => a - b);
  const p50 = percentile(sorted, 50);
  return {
    name,
    n: values.length,
    p50: `${p50.toFixed(1)} ms`,
    p95: `${percentile(sorted, 95).toFixed(1)} ms`,
    target: `≤ ${target} ms`,
    ok: p50 <= target,
  };
};
const table = [
  row("uplink (capture → send)", stats.uplinkMs, 25),
  row("downlink (arrival → first sample)", stats.downlinkMs, 60),
  row("interrupt → silence (worklet)", stats.interruptMs, 50),
  row("interrupt → silence (output tap)", tapped, 50),
  row("sound ends (tap) → listening", listening, 200),
];
console.table(table);
console.log(
  `frames sent ${stats.framesSent}, dropped ${stats.framesDropped}, received ${stats.framesReceived}`,
);
const ok = table.every((r) => r.ok);
console.log(ok ? "voice bench: OK" : "voice bench: OVER TARGET");
process.exit(ok ? 0 : 1);
