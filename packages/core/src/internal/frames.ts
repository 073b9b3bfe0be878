import type { UnpodSessionError } from "../errors.js";
import { MAX_FRAME_SIZE } from "../protocol.js";
import { badField, isObject, type Spec } from "./check.js";

/** Makes the error a frame parser throws: a reason code, where, and the wrapped error. */
export type FrameFailure = (reason: string, where?: string, cause?: unknown) => UnpodSessionError;

/**
 * Parses one JSON text frame tagged by `key` (`type` or `event`) and checks its fields
 * against the spec of its tag.
 *
 * @returns The frame, or `null` for a well-formed frame of a tag `specs` does not know.
 * @throws What `fail` makes: `not_text`, `too_large` (over {@link MAX_FRAME_SIZE}),
 *   `bad_json`, `bad_frame`.
 */
export function parseTagged<T>(
  data: unknown,
  key: string,
  specs: Record<string, Spec>,
  fail: FrameFailure,
): T | null {
  if (typeof data !== "string") throw fail("not_text");
  if (data.length > MAX_FRAME_SIZE) throw fail("too_large");
  let f: unknown;
  try {
    f = JSON.parse(data);
  } catch (cause) {
    throw fail("bad_json", "", cause);
  }
  if (!isObject(f) || typeof f[key] !== "string") throw fail("bad_frame", key);
  const tag = f[key] as string;
  if (!Object.hasOwn(specs, tag)) return null;
  const field = badField(f, specs[tag] as Spec);
  if (field) throw fail("bad_frame", `${tag}.${field}`);
  return f as T;
}
