/** Size of the canonical RIFF/WAVE header written by {@link encodeWav}. */
export const WAV_HEADER_BYTES = 44;

/**
 * Wraps 16-bit little-endian mono PCM in a canonical 44-byte RIFF/WAVE header
 * (`fmt ` chunk: PCM, 1 channel, 16 bits), so any audio tool can open it.
 *
 * @param chunks - The PCM bytes, in order (an even number in total).
 * @param sampleRate - Samples per second.
 * @returns The WAV file.
 */
export function encodeWav(
  chunks: readonly Uint8Array[],
  sampleRate: number,
): Uint8Array<ArrayBuffer> {
  const dataBytes = chunks.reduce((n, c) => n + c.byteLength, 0);
  const out = new Uint8Array(WAV_HEADER_BYTES + dataBytes);
  const view = new DataView(out.buffer);
  const ascii = (offset: number, text: string) => {
    for (let i = 0; i < text.length; i++) out[offset + i] = text.charCodeAt(i);
  };
  const channels = 1;
  const bytesPerSample = 2;
  ascii(0, "RIFF");
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  view.setUint32(16, 16, true); // fmt chunk size
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * channels * bytesPerSample, true); // byte rate
  view.setUint16(32, channels * bytesPerSample, true); // block align
  view.setUint16(34, bytesPerSample * 8, true); // bits per sample
  ascii(36, "data");
  view.setUint32(40, dataBytes, true);
  let offset = WAV_HEADER_BYTES;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

/**
 * The uplink audio a session received, kept for tests (`GET /__dev/rtc/audio`), bounded:
 * at most `maxBytes` of the most recent audio are kept. When a new frame would pass the
 * cap, the oldest frames are dropped (and counted in {@link UplinkRecorder.droppedBytes}),
 * so a long session keeps its latest audio rather than its first.
 */
export class UplinkRecorder {
  readonly #maxBytes: number;
  #chunks: Uint8Array[] = [];
  #head = 0;
  #keptBytes = 0;
  #receivedBytes = 0;

  /** @param maxBytes - Most bytes kept. */
  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  /** Bytes received since the session started, kept or not. */
  get receivedBytes(): number {
    return this.#receivedBytes;
  }

  /** Bytes dropped from the start to stay under the cap. */
  get droppedBytes(): number {
    return this.#receivedBytes - this.#keptBytes;
  }

  /** Bytes kept now. */
  get keptBytes(): number {
    return this.#keptBytes;
  }

  /**
   * Keeps a copy of one frame.
   *
   * @param frame - PCM bytes (copied: the caller may reuse its buffer).
   */
  add(frame: Uint8Array): void {
    this.#receivedBytes += frame.byteLength;
    if (frame.byteLength > this.#maxBytes) return;
    this.#chunks.push(frame.slice());
    this.#keptBytes += frame.byteLength;
    while (this.#keptBytes > this.#maxBytes) {
      this.#keptBytes -= (this.#chunks[this.#head] as Uint8Array).byteLength;
      this.#head += 1;
    }
    // Compact now and then, so dropping stays O(1) per frame on average.
    if (this.#head > 1024 && this.#head * 2 > this.#chunks.length) {
      this.#chunks = this.#chunks.slice(this.#head);
      this.#head = 0;
    }
  }

  /**
   * The kept audio as a WAV file.
   *
   * @param sampleRate - The uplink's sample rate.
   * @returns RIFF/WAVE bytes (PCM16, mono).
   */
  toWav(sampleRate: number): Uint8Array<ArrayBuffer> {
    return encodeWav(this.#chunks.slice(this.#head), sampleRate);
  }
}
