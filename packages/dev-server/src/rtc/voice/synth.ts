/**
 * The dev server's "speech": deterministic tones a test can recognise, never a real voice
 * (no speech synthesizer, so no GPL code and no model weights). A text becomes one short
 * tone burst per word, with a frequency derived from the word, silent gaps between words,
 * and short raised-cosine fades so bursts start and stop without clicks.
 *
 * Audio is described as a {@link ToneSegment} list (a few numbers per word) and rendered a
 * frame at a time by {@link ToneReader}, so a queued turn costs bytes, not megabytes.
 */

/** One piece of a turn: a sine at `hz` for `samples` samples, or silence when `hz` is 0. */
export interface ToneSegment {
  /** Frequency in Hz; 0 means silence. */
  hz: number;
  /** Length in samples. */
  samples: number;
}

/** Longest turn the agent speaks, in ms; words past it are not spoken (their text still is sent). */
export const MAX_TURN_MS = 30_000;
/** Lowest word frequency. */
export const WORD_MIN_HZ = 300;
/** Step between word frequencies; a word gets `WORD_MIN_HZ + k × WORD_STEP_HZ`, k in 0…47. */
export const WORD_STEP_HZ = 12.5;
const WORD_FREQUENCIES = 48;
/** A word's burst: a base length plus a little per character, capped. */
const BURST_BASE_MS = 80;
const BURST_PER_CHAR_MS = 20;
const BURST_MAX_MS = 400;
/** Silence between two words. */
export const WORD_GAP_MS = 70;
/** Fade in and out of every burst. */
export const FADE_MS = 5;
/** Peak amplitude, as a fraction of full scale (about −10 dBFS). */
export const AMPLITUDE = 0.3;

function msToSamples(ms: number, sampleRate: number): number {
  return Math.round((ms * sampleRate) / 1000);
}

/** 32-bit FNV-1a of a string's UTF-16 units: a stable hash with no dependency. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * The frequency a word is spoken at: one of 48 steps from {@link WORD_MIN_HZ}, chosen by a
 * hash of the lower-cased word, so the same word always sounds the same.
 *
 * @param word - One word (no spaces).
 * @returns Hz, between 300 and 887.5.
 */
export function wordFrequency(word: string): number {
  return WORD_MIN_HZ + (fnv1a(word.toLowerCase()) % WORD_FREQUENCIES) * WORD_STEP_HZ;
}

/**
 * How long a word's burst lasts: 80 ms plus 20 ms per character, at most 400 ms.
 *
 * @param word - One word.
 * @returns Milliseconds.
 */
export function burstMs(word: string): number {
  return Math.min(BURST_MAX_MS, BURST_BASE_MS + BURST_PER_CHAR_MS * [...word].length);
}

/** The tones of some words, and when each word's burst ends (ms from the first segment). */
export interface WordTones {
  /** The segments, in order. */
  segments: ToneSegment[];
  /** The words spoken, with the end of each burst in ms from the start of `segments`. */
  words: { word: string; endMs: number }[];
  /** Samples in `segments`. */
  samples: number;
}

/**
 * The tones of `words`: one burst per word with a gap between words — and before the first
 * one too, unless `first` (a turn's first word). Stops before a word that would take the
 * turn past `budgetSamples`.
 *
 * @param words - Words (no spaces).
 * @param first - Whether the first word opens the turn (no leading gap).
 * @param sampleRate - Output sample rate.
 * @param budgetSamples - Samples the turn may still take.
 * @returns The segments and the words they speak.
 */
export function wordTones(
  words: readonly string[],
  first: boolean,
  sampleRate: number,
  budgetSamples: number,
): WordTones {
  const out: WordTones = { segments: [], words: [], samples: 0 };
  const gap = msToSamples(WORD_GAP_MS, sampleRate);
  for (const word of words) {
    if (word === "") continue;
    const burst = msToSamples(burstMs(word), sampleRate);
    const lead = first && out.segments.length === 0 ? 0 : gap;
    if (out.samples + lead + burst > budgetSamples) break;
    if (lead > 0) out.segments.push({ hz: 0, samples: lead });
    out.segments.push({ hz: wordFrequency(word), samples: burst });
    out.samples += lead + burst;
    out.words.push({ word, endMs: (out.samples * 1000) / sampleRate });
  }
  return out;
}

/**
 * The tones that "speak" a text: one burst per whitespace-separated word, a gap between
 * words, nothing before the first or after the last. Stops before a word that would pass
 * {@link MAX_TURN_MS}.
 *
 * @param text - What the agent says.
 * @param sampleRate - Output sample rate.
 * @returns The segments; empty when the text has no word.
 */
export function speechTones(text: string, sampleRate: number): ToneSegment[] {
  return wordTones(text.split(/\s+/), true, sampleRate, msToSamples(MAX_TURN_MS, sampleRate))
    .segments;
}

/**
 * A single pure tone (with the same short fades as words).
 *
 * @param hz - Frequency; must be below half the sample rate.
 * @param durationMs - Length, at most {@link MAX_TURN_MS}.
 * @param sampleRate - Output sample rate.
 * @returns One segment.
 */
export function toneSegments(hz: number, durationMs: number, sampleRate: number): ToneSegment[] {
  return [{ hz, samples: msToSamples(Math.min(durationMs, MAX_TURN_MS), sampleRate) }];
}

/**
 * Renders segments as 16-bit PCM, a chunk at a time. Each tone starts at phase 0 and is
 * shaped by a raised-cosine fade of {@link FADE_MS} at both ends (shorter for very short
 * tones), so consecutive chunks join without a click and the output is the same however
 * it is chunked.
 */
export class ToneReader {
  readonly #segments: ToneSegment[];
  readonly #sampleRate: number;
  readonly #fade: number;
  #total: number;
  #segment = 0;
  #offset = 0;
  #position = 0;

  /**
   * @param segments - What to render, in order.
   * @param sampleRate - Output sample rate.
   */
  constructor(segments: readonly ToneSegment[], sampleRate: number) {
    this.#segments = [...segments];
    this.#sampleRate = sampleRate;
    this.#fade = msToSamples(FADE_MS, sampleRate);
    this.#total = segments.reduce((n, s) => n + s.samples, 0);
  }

  /** Samples in all segments (so far: a streaming turn appends more). */
  get totalSamples(): number {
    return this.#total;
  }

  /**
   * Adds segments after the last one (a streaming turn's next words).
   *
   * @param segments - What to render after what is there.
   */
  append(segments: readonly ToneSegment[]): void {
    for (const s of segments) {
      this.#segments.push(s);
      this.#total += s.samples;
    }
  }

  /** Samples rendered so far. */
  get position(): number {
    return this.#position;
  }

  /** Whether every sample has been rendered. */
  get done(): boolean {
    return this.#position >= this.totalSamples;
  }

  /**
   * Renders the next samples.
   *
   * @param maxSamples - At most this many.
   * @returns Little-endian PCM16 bytes (2 per sample); empty when done.
   */
  read(maxSamples: number): Uint8Array {
    const count = Math.max(0, Math.min(maxSamples, this.totalSamples - this.#position));
    const out = new Uint8Array(count * 2);
    const view = new DataView(out.buffer);
    for (let i = 0; i < count; i++) {
      view.setInt16(i * 2, this.#next(), true);
    }
    return out;
  }

  #next(): number {
    let seg = this.#segments[this.#segment] as ToneSegment;
    while (this.#offset >= seg.samples) {
      this.#segment += 1;
      this.#offset = 0;
      seg = this.#segments[this.#segment] as ToneSegment;
    }
    const n = this.#offset;
    this.#offset += 1;
    this.#position += 1;
    if (seg.hz === 0) return 0;
    const fade = Math.min(this.#fade, Math.floor(seg.samples / 2));
    const edge = Math.min(n, seg.samples - 1 - n);
    const gain = edge >= fade ? 1 : 0.5 - 0.5 * Math.cos((Math.PI * edge) / fade);
    const value = AMPLITUDE * gain * Math.sin((2 * Math.PI * seg.hz * n) / this.#sampleRate);
    return Math.round(value * 32767);
  }
}
