import { describe, expect, test } from "vitest";
import { type SegmentEvent, SpeechSegmenter } from "../../src/rtc/voice/segmenter.js";

/** Feeds a pattern ("#" voiced, "." not, 20 ms each); returns the events with their frame index. */
function feed(s: SpeechSegmenter, pattern: string): [number, SegmentEvent][] {
  const out: [number, SegmentEvent][] = [];
  [...pattern].forEach((c, i) => {
    const e = s.push(c === "#");
    if (e) out.push([i, e]);
  });
  return out;
}

describe("SpeechSegmenter", () => {
  test("a start needs 120 ms of voice within 200 ms: lone blips never start one", () => {
    const s = new SpeechSegmenter();
    expect(feed(s, "####......#....#.#.#....##..##....##.....")).toEqual([]);
    expect(s.speaking).toBe(false);
  });

  test("a modulated voice (gaps up to 200 ms) is one utterance; the end comes ~0.6 s after it", () => {
    const s = new SpeechSegmenter();
    const voice = "#########....#########...#########....#########...#########....#########";
    const events = feed(s, `...${voice}${".".repeat(40)}`);
    expect(events).toEqual([
      [8, { type: "start" }],
      [3 + voice.length - 1 + 27, { type: "end", durationMs: voice.length * 20 }],
    ]);
    expect(s.speaking).toBe(false);
  });

  test("the duration runs from the first voiced frame of the start window to the last voiced one", () => {
    const s = new SpeechSegmenter();
    const events = feed(s, `.#.#####${"#".repeat(62)}${".".repeat(30)}`);
    expect(events[1]?.[1]).toEqual({ type: "end", durationMs: 69 * 20 });
  });

  test("a few voiced frames in the hangover do not keep the utterance alive", () => {
    const s = new SpeechSegmenter();
    const events = feed(s, `${"#".repeat(20)}....#.......#.....#.........#..........#........`);
    expect(events.map(([, e]) => e.type)).toEqual(["start", "end"]);
  });

  test("flush ends an utterance at once; reset forgets the history", () => {
    const s = new SpeechSegmenter();
    feed(s, "##########");
    expect(s.flush()).toEqual({ type: "end", durationMs: 200 });
    expect(s.flush()).toBeUndefined();
    feed(s, "#####");
    s.reset();
    expect(s.push(true)).toBeUndefined(); // 5 earlier frames no longer count
  });

  test("an endless voice is cut into utterances of at most a minute", () => {
    const s = new SpeechSegmenter();
    const events = feed(s, "#".repeat(3 * 3000 + 20));
    const ends = events.filter(([, e]) => e.type === "end");
    expect(ends.length).toBe(3);
    for (const [, e] of ends)
      expect((e as { durationMs: number }).durationMs).toBeLessThanOrEqual(60_000);
  });
});
