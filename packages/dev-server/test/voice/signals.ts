// Test signals and measurements for the voice tests: generated audio (never recorded files)
// and a Goertzel filter to tell which frequency dominates.

/** PCM16 little-endian bytes of `samples`. */
export function pcm16(samples: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(samples.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < samples.length; i++) {
    const v = Math.max(-32768, Math.min(32767, Math.round(samples[i] as number)));
    view.setInt16(i * 2, v, true);
  }
  return out;
}

/** Samples of PCM16 little-endian bytes. */
export function samplesOf(bytes: Uint8Array): Int16Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Int16Array(Math.floor(bytes.byteLength / 2));
  for (let i = 0; i < out.length; i++) out[i] = view.getInt16(i * 2, true);
  return out;
}

/**
 * A "voice-like" test signal: a 440 Hz tone, amplitude-modulated at 4 Hz (depth 45%), at
 * about −15 dBFS, with a little deterministic noise under it.
 */
export function modulatedTone(
  durationMs: number,
  sampleRate = 16000,
  o: { hz?: number; modHz?: number; amplitude?: number; start?: number } = {},
): Float64Array {
  const { hz = 440, modHz = 4, amplitude = 6000, start = 0 } = o;
  const n = Math.round((durationMs * sampleRate) / 1000);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = (start + i) / sampleRate;
    const envelope = 0.55 + 0.45 * Math.sin(2 * Math.PI * modHz * t);
    out[i] = amplitude * envelope * Math.sin(2 * Math.PI * hz * t);
  }
  return out;
}

/** Quiet deterministic noise (a "silent" room), peak ±`level`. */
export function quiet(durationMs: number, sampleRate = 16000, level = 40, seed = 7): Float64Array {
  const n = Math.round((durationMs * sampleRate) / 1000);
  const out = new Float64Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    out[i] = ((s / 0xffffffff) * 2 - 1) * level;
  }
  return out;
}

/** Concatenates signals. */
export function concat(...parts: ArrayLike<number>[]): Float64Array {
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p as ArrayLike<number>, o);
    o += p.length;
  }
  return out;
}

/** Concatenates byte arrays. */
export function joinBytes(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.byteLength;
  }
  return out;
}

/** Cuts PCM16 bytes into frames of `frameBytes` (a short tail is dropped). */
export function frames(bytes: Uint8Array, frameBytes: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let o = 0; o + frameBytes <= bytes.byteLength; o += frameBytes) {
    out.push(bytes.subarray(o, o + frameBytes));
  }
  return out;
}

/** Power of `samples` at `hz` (Goertzel). */
export function goertzel(samples: ArrayLike<number>, hz: number, sampleRate: number): number {
  const coeff = 2 * Math.cos((2 * Math.PI * hz) / sampleRate);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < samples.length; i++) {
    const s0 = (samples[i] as number) + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - coeff * s1 * s2;
}

/** Root mean square of `samples`. */
export function rms(samples: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += (samples[i] as number) ** 2;
  return samples.length === 0 ? 0 : Math.sqrt(sum / samples.length);
}

/** Parses a canonical 44-byte-header WAV (as the dev server writes it). */
export function readWav(bytes: Uint8Array): {
  riff: string;
  wave: string;
  format: number;
  channels: number;
  sampleRate: number;
  byteRate: number;
  blockAlign: number;
  bitsPerSample: number;
  dataBytes: number;
  riffSize: number;
  data: Uint8Array;
} {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = (o: number) => String.fromCharCode(...bytes.subarray(o, o + 4));
  if (text(36) !== "data") throw new Error(`no data chunk at 36: ${text(36)}`);
  return {
    riff: text(0),
    riffSize: view.getUint32(4, true),
    wave: text(8),
    format: view.getUint16(20, true),
    channels: view.getUint16(22, true),
    sampleRate: view.getUint32(24, true),
    byteRate: view.getUint32(28, true),
    blockAlign: view.getUint16(32, true),
    bitsPerSample: view.getUint16(34, true),
    dataBytes: view.getUint32(40, true),
    data: bytes.subarray(44),
  };
}
