// Table-driven validation of untrusted JSON (wire frames, token claims). A field's kind is
// one letter — `i` integer ≥ 0, `p` integer ≥ 1, `n` finite number, `s` string,
// `S` non-empty string, `b` boolean, `o` plain object, `a` array of strings,
// `r` object of strings — with a trailing `?` when the field is optional, or a predicate.

/** A field's kind (see above) or a predicate. */
export type Kind = string | ((value: unknown) => boolean);
/** Field name → kind. */
export type Spec = Record<string, Kind>;

/** A non-null, non-array object. */
export const isObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === "object" && !Array.isArray(v);

const isString = (v: unknown): v is string => typeof v === "string";

const KINDS: Record<string, (v: unknown) => boolean> = {
  i: (v) => Number.isSafeInteger(v) && (v as number) >= 0,
  p: (v) => Number.isSafeInteger(v) && (v as number) > 0,
  n: Number.isFinite,
  s: isString,
  S: (v) => isString(v) && v !== "",
  b: (v) => typeof v === "boolean",
  o: isObject,
  a: (v) => Array.isArray(v) && v.every(isString),
  r: (v) => isObject(v) && Object.values(v).every(isString),
};

/** The name of the first field of `value` that breaks `spec`, or `undefined` when none does. */
export function badField(value: Record<string, unknown>, spec: Spec): string | undefined {
  for (const field in spec) {
    const kind = spec[field] as Kind;
    const v = value[field];
    const ok =
      typeof kind === "function"
        ? kind(v)
        : (kind[1] === "?" && v === undefined) ||
          (KINDS[kind[0] as string] as (v: unknown) => boolean)(v);
    if (!ok) return field;
  }
  return undefined;
}

/** A predicate for an optional nested object that must match `spec`. */
export const optionalObject =
  (spec: Spec) =>
  (v: unknown): boolean =>
    v === undefined || (isObject(v) && badField(v, spec) === undefined);
