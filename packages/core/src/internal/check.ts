// Validation of untrusted JSON (wire frames, token claims): a spec maps each field to a
// predicate. The predicates are named constants rather than a table of kinds, so a bundle
// keeps only those its specs use.

/** Field name → predicate its value must pass. */
export type Spec = Record<string, (value: unknown) => boolean>;

/** A non-null, non-array object. */
export const isObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === "object" && !Array.isArray(v);

/** A string. */
export const str = (v: unknown): v is string => typeof v === "string";
/** A non-empty string. */
export const nonEmpty = (v: unknown): boolean => str(v) && v !== "";
/** A boolean. */
export const bool = (v: unknown): boolean => typeof v === "boolean";
/** A finite number. */
export const num: (v: unknown) => boolean = Number.isFinite;
/** An integer ≥ 0. */
export const int = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= 0;
/** An integer ≥ 1 (a `seq`). */
export const pos = (v: unknown): boolean => int(v) && (v as number) > 0;
/** An array of strings. */
export const strings = (v: unknown): boolean => Array.isArray(v) && v.every(str);
/** An object of strings. */
export const record = (v: unknown): boolean => isObject(v) && Object.values(v).every(str);
/** `is`, or absent. */
export const opt =
  (is: (v: unknown) => boolean) =>
  (v: unknown): boolean =>
    v === undefined || is(v);

/** The name of the first field of `value` that breaks `spec`, or `undefined` when none does. */
export function badField(value: Record<string, unknown>, spec: Spec): string | undefined {
  for (const field in spec) if (!(spec[field] as Spec[string])(value[field])) return field;
  return undefined;
}

/** A predicate for an object that must match `spec`. */
export const object =
  (spec: Spec) =>
  (v: unknown): boolean =>
    isObject(v) && !badField(v, spec);
