"use client";
import { invalidArgument } from "@unpod/core/internal";
import { useEffect, useState } from "react";
import { useVoiceHandle } from "./context.js";

/** Levels are rounded to this step: a meter does not re-render for changes it cannot show. */
const STEP = 0.01;

/**
 * The microphone's (`"input"`) or the agent's (`"output"`) level, 0–1, polled every
 * animation frame inside the component that calls it — only that component re-renders
 * (and only when the rounded level changes), never the tree above it. 0 on the server, when
 * muted, and before voice runs.
 *
 * @param kind - `"input"` or `"output"`.
 * @returns The level, in steps of 0.01.
 * @throws {@link @unpod/core!UnpodArgumentError} `kind`, or outside the voice provider.
 * @example
 * ```tsx
 * import { useAudioLevel } from "@unpod/react/voice";
 * function MicMeter() {
 *   const level = useAudioLevel("input");
 *   return <meter min={0} max={1} value={level} />;
 * }
 * ```
 */
export function useAudioLevel(kind: "input" | "output"): number {
  if (kind !== "input" && kind !== "output") {
    throw invalidArgument("kind", 'must be "input" or "output"');
  }
  const handle = useVoiceHandle("useAudioLevel");
  const [level, setLevel] = useState(0);
  useEffect(() => {
    let frame = requestAnimationFrame(function poll() {
      const voice = handle.voice;
      const raw = voice ? (kind === "input" ? voice.getInputLevel() : voice.getOutputLevel()) : 0;
      setLevel(Math.round(raw / STEP) * STEP);
      frame = requestAnimationFrame(poll);
    });
    return () => cancelAnimationFrame(frame);
  }, [handle, kind]);
  return level;
}
