import type { CallHistoryEntry } from "@unpod/agent";

/** Options of {@link fakeLlm}. */
export interface FakeLlmOptions {
  /** Stops the stream (the caller interrupted): the next token is never produced. */
  signal: AbortSignal;
  /** The conversation so far (the agent's lines as the caller heard them). */
  history?: readonly CallHistoryEntry[];
  /** Time per token, in ms: a real LLM's pace. @defaultValue 25 */
  tokenMs?: number;
}

const STORY =
  "Once upon a time a small voice agent lived in a dev server on port seven eight eight zero. " +
  "Every day callers spoke to it and every day it answered, one token at a time, " +
  "as if it had all the time in the world. Then one day a caller interrupted it, " +
  "and the agent stopped at once, remembered exactly what had been heard, and listened.";

/**
 * What the fake model says to `prompt`. Plain text is repeated back (`Echo: …`, the dev
 * server's own agent's words, so the demo reads the same whoever answers); a few commands
 * show what an agent can do.
 */
export function fakeAnswer(prompt: string, history: readonly CallHistoryEntry[] = []): string {
  const text = prompt.trim();
  const voice = /^\(speech, (\d+(?:\.\d)?) s\)$/.exec(text);
  if (voice) {
    return `I heard ${voice[1]} seconds of speech. Keep talking over me to interrupt; I stop at once and remember what you heard.`;
  }
  switch (text.toLowerCase()) {
    case "/help":
      return "Try /story for a long streamed answer you can interrupt, /history for what I remember, or /bye to hang up.";
    case "/story":
      return STORY;
    case "/history": {
      const lines = history.filter((e) => e.role === "agent").length;
      return `I remember ${history.length} lines of this call, ${lines} of them mine.`;
    }
    case "/bye":
      return "Goodbye!";
    default:
      return `Echo: ${text}`;
  }
}

/**
 * A fake LLM: streams {@link fakeAnswer} word by word, a token every `tokenMs`, and stops
 * when `signal` fires — as `for await (const chunk of openai.chat.completions.create({…,
 * stream: true }, { signal }))` would. No network.
 *
 * @param prompt - The user's words.
 * @param options - The turn's signal, the history, the pace.
 * @returns The answer's tokens.
 */
export async function* fakeLlm(prompt: string, options: FakeLlmOptions): AsyncGenerator<string> {
  const { signal, history = [], tokenMs = 25 } = options;
  const tokens = fakeAnswer(prompt, history).match(/\S+\s*/g) ?? [];
  for (const token of tokens) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, tokenMs);
      signal.addEventListener(
        "abort",
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    });
    if (signal.aborted) return;
    yield token;
  }
}
