// The page the voice tests drive in real Chromium: the BUILT bundles of @unpod/browser,
// @unpod/browser/voice and @unpod/core behind an import map, and an instrumented document.
//
// The instruments never read SDK internals; they sit where a real page's audio goes:
// - a tap: every node connected to a MediaStream (or the context's) destination is also
//   connected to two test-owned AnalyserNodes (a short one for levels, a long one for the
//   spectrum);
// - every getUserMedia stream and AudioContext the page creates is recorded;
// - every WebSocket text frame's type and arrival time is recorded (before the SDK sees it);
// - with `window.blockAutoplay = true`, an AudioContext made more than 5 s after the last
//   real click stays suspended and `resume()` waits for one (headless Chromium never
//   enforces the autoplay policy).
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";

const files = {
  "/browser/index.js": new URL("../dist/index.js", import.meta.url),
  "/browser/voice.js": new URL("../dist/voice.js", import.meta.url),
  "/browser/voice-worklet.js": new URL("../dist/voice-worklet.js", import.meta.url),
  "/core/index.js": new URL("../node_modules/@unpod/core/dist/index.js", import.meta.url),
};
const html = `<!doctype html><meta charset="utf-8"><title>unpod voice</title>
<script type="importmap">{"imports":{"@unpod/core":"/core/index.js","@unpod/browser":"/browser/index.js","@unpod/browser/voice":"/browser/voice.js"}}</script>
<button id="go">go</button>
<script type="module">
  window.unpod = await import("@unpod/browser");
  window.unpodVoice = await import("@unpod/browser/voice");
  window.ready = true;
</script>`;
async function servePage() {
  const http = createServer(async (req, res) => {
    const file = files[req.url ?? ""];
    if (file) {
      res.writeHead(200, { "content-type": "text/javascript" }).end(await readFile(file));
    } else if (req.url === "/") {
      res.writeHead(200, { "content-type": "text/html" }).end(html);
    } else res.writeHead(404).end();
  });
  await new Promise((r) => http.listen(0, "127.0.0.1", r));
  return {
    origin: `http://127.0.0.1:${http.address().port}`,
    close: () => new Promise((r) => http.close(() => r())),
  };
}
function instrument() {
  const w = window;
  w.taps = [];
  w.streams = [];
  w.contexts = [];
  w.frames = [];
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
  };
}
function helpers() {
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
    async silentAfter(since, ms = 1e3) {
      await until(() => rms() < SILENT, ms, "silence");
      return performance.now() - since;
    },
    async loud(ms = 5e3) {
      await until(() => rms() > 0.02, ms, "agent audio");
    },
  };
}

export { helpers, instrument, servePage };
