// Test helpers shared by the workspace's tests and benches (plain ESM, so `node bench/*.mjs`
// can use them too; types in index.d.mts).
import { createServer } from "node:net";
import { chromium } from "playwright-core";

/** Flags that let Debian's Chromium run headless as root on a machine with no outside network. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/**
 * Flags for voice tests: a fake microphone that plays `wav` (looped), and no permission
 * prompt. Headless Chromium never enforces the autoplay policy; tests simulate it.
 */
export function fakeMicrophoneArgs(wav) {
  return [
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    `--use-file-for-fake-audio-capture=${wav}`,
  ];
}

/** Launches Debian's Chromium (`CHROMIUM_PATH`, default `/usr/bin/chromium`), with extra flags. */
export function launchChromium(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [...CHROMIUM_ARGS, ...extraArgs],
    headless: true,
  });
}

/**
 * A WAV file (PCM16, mono) of `seconds` of an amplitude-modulated sine: a steady tone would
 * be flattened by the browser's noise suppression (~17 dB), a modulated one passes. With
 * `silenceSeconds`, silence follows: Chromium loops the file, so the fake microphone then
 * "speaks" in utterances the dev server's voice agent answers.
 */
export function modulatedToneWav(options) {
  const { hz, seconds, rate = 48_000, modulationHz = 3, silenceSeconds = 0 } = options;
  const samples = Math.round(seconds * rate);
  const data = Buffer.alloc((samples + Math.round(silenceSeconds * rate)) * 2);
  for (let i = 0; i < samples; i++) {
    const t = i / rate;
    const envelope = 0.55 + 0.45 * Math.sin(2 * Math.PI * modulationHz * t);
    data.writeInt16LE(Math.round(0.6 * envelope * Math.sin(2 * Math.PI * hz * t) * 0x7fff), i * 2);
  }
  return Buffer.concat([wavHeader(data.length, rate), data]);
}

/** A 44-byte RIFF/WAVE header for PCM16 mono. */
export function wavHeader(dataBytes, rate) {
  const h = Buffer.alloc(44);
  h.write("RIFF", 0);
  h.writeUInt32LE(36 + dataBytes, 4);
  h.write("WAVE", 8);
  h.write("fmt ", 12);
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(1, 22); // mono
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write("data", 36);
  h.writeUInt32LE(dataBytes, 40);
  return h;
}

/** Samples (−1…1) and rate of a PCM16 mono WAV. */
export function readWav(wav) {
  const b = Buffer.from(wav.buffer, wav.byteOffset, wav.byteLength);
  if (b.toString("ascii", 0, 4) !== "RIFF" || b.toString("ascii", 8, 12) !== "WAVE") {
    throw new Error("not a WAV file");
  }
  const rate = b.readUInt32LE(24);
  const dataAt = b.indexOf("data", 12, "ascii");
  const bytes = b.readUInt32LE(dataAt + 4);
  const samples = new Float32Array(bytes / 2);
  for (let i = 0; i < samples.length; i++) samples[i] = b.readInt16LE(dataAt + 8 + i * 2) / 0x8000;
  return { rate, samples };
}

/** Power of `samples` at `hz` (Goertzel), normalised by length. */
export function goertzel(samples, hz, rate) {
  const k = 2 * Math.cos((2 * Math.PI * hz) / rate);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < samples.length; i++) {
    const s0 = samples[i] + k * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return (s1 * s1 + s2 * s2 - k * s1 * s2) / samples.length;
}

/** A TCP port that is free on 127.0.0.1 right now (for a server the test starts). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

// ---- audio instruments for voice tests in real Chromium ----
// They never read SDK internals; they sit where a real page's audio goes:
// - a tap: every node connected to a MediaStream (or the context's) destination is also
//   connected to two test-owned AnalyserNodes (a short one for levels, a long one for the
//   spectrum), listed in `window.taps`;
// - every getUserMedia stream and AudioContext the page creates is recorded
//   (`window.streams`, `window.contexts`);
// - every WebSocket text frame's type and arrival time is recorded before the SDK sees it
//   (`window.frames`), and every binary frame the page sends is counted (`window.binarySent`);
// - with `window.blockAutoplay = true`, an AudioContext made more than 5 s after the last
//   real click stays suspended and `resume()` waits for one (headless Chromium never
//   enforces the autoplay policy).

/** The instruments: `page.addInitScript(instrumentAudio)` before the page loads. */
export function instrumentAudio() {
  const w = window;
  w.taps = [];
  w.streams = [];
  w.contexts = [];
  w.frames = [];
  w.binarySent = 0;
  const connect = AudioNode.prototype.connect;
  AudioNode.prototype.connect = function (...args) {
    const result = connect.apply(this, args);
    const target = args[0];
    if (
      target instanceof MediaStreamAudioDestinationNode ||
      target instanceof AudioDestinationNode
    ) {
      const level = new AnalyserNode(this.context, { fftSize: 256 });
      const spectrum = new AnalyserNode(this.context, { fftSize: 8192, smoothingTimeConstant: 0 });
      connect.call(this, level);
      connect.call(this, spectrum);
      w.taps.push({ level, spectrum });
    }
    return result;
  };
  const getUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    const stream = await getUserMedia(constraints);
    w.streams.push(stream);
    return stream;
  };
  // The autoplay policy, simulated: audio may start within 5 s of a real click (Chrome's
  // transient activation). navigator.userActivation cannot be used: Playwright's evaluate
  // runs with a user gesture.
  let activeUntil = 0;
  window.addEventListener(
    "click",
    () => {
      activeUntil = performance.now() + 5000;
    },
    { capture: true },
  );
  const activated = () => performance.now() < activeUntil;
  const Real = window.AudioContext;
  class Recorded extends Real {
    blocked = false;
    constructor(options) {
      super(options);
      w.contexts.push(this);
      if (w.blockAutoplay && !activated()) {
        this.blocked = true;
        void super.suspend();
      }
    }
    get state() {
      return this.blocked ? "suspended" : super.state;
    }
    resume() {
      if (this.blocked && !activated()) return new Promise(() => {});
      this.blocked = false;
      return super.resume();
    }
  }
  window.AudioContext = Recorded;
  const RealSocket = window.WebSocket;
  window.WebSocket = class extends RealSocket {
    constructor(url, protocols) {
      super(url, protocols);
      this.addEventListener("message", (event) => {
        if (typeof event.data !== "string") return;
        const frame = JSON.parse(event.data);
        w.frames.push({ type: frame.type, at: performance.now(), turnId: frame.turn_id });
      });
    }
    send(data) {
      if (typeof data !== "string") w.binarySent += 1;
      super.send(data);
    }
  };
}
/** In-page helpers as `window.h` (`rms`, `peakHz`, `until`, `silentAfter`, `loud`): `page.evaluate(audioHelpers)`. */
export function audioHelpers() {
  const w = window;
  const tap = () => {
    const t = w.taps.at(-1);
    if (!t) throw new Error("no audio output was connected");
    return t;
  };
  const rms = () => {
    const { level } = tap();
    const buffer = new Float32Array(level.fftSize);
    level.getFloatTimeDomainData(buffer);
    let sum = 0;
    for (const x of buffer) sum += x * x;
    return Math.sqrt(sum / buffer.length);
  };
  const peakHz = () => {
    const { spectrum } = tap();
    const bins = new Float32Array(spectrum.frequencyBinCount);
    spectrum.getFloatFrequencyData(bins);
    let best = 0;
    for (let i = 1; i < bins.length; i++) if (bins[i] > bins[best]) best = i;
    return (best * spectrum.context.sampleRate) / spectrum.fftSize;
  };
  const channel = new MessageChannel();
  const tick = () =>
    new Promise((resolve) => {
      channel.port1.onmessage = () => resolve();
      channel.port2.postMessage(0);
    });
  const until = async (predicate, ms, what) => {
    const end = performance.now() + ms;
    while (!predicate()) {
      if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
      await tick();
    }
  };
  const SILENT = 1e-3;
  w.h = {
    rms,
    peakHz,
    until,
    /** Milliseconds from `since` (performance.now()) until the output is silent. */
    async silentAfter(since, ms = 3e3) {
      await until(() => rms() < SILENT, ms, "silence");
      return performance.now() - since;
    },
    async loud(ms = 5e3) {
      await until(() => rms() > 0.02, ms, "agent audio");
    },
  };
}
