import type { Context } from "hono";
import { fail } from "./envelope.js";

/** The 413 answer. `Connection: close`: the rest of the body is not read, so the socket cannot be reused. */
export function tooLarge(max: number): Response {
  return fail(413, `Request body is larger than ${max} bytes.`, {
    headers: { Connection: "close" },
  });
}

/**
 * Reads a body stream, giving up (and cancelling it) as soon as it passes `max` bytes.
 *
 * @returns The bytes (empty without a body), or `undefined` past the limit.
 */
export async function readStreamBytes(
  stream: ReadableStream<Uint8Array> | null,
  max: number,
): Promise<Uint8Array<ArrayBuffer> | undefined> {
  if (!stream) return new Uint8Array(0);
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/**
 * Reads a body stream as UTF-8 text, giving up (and cancelling it) as soon as it passes
 * `max` bytes.
 *
 * @returns The text (empty without a body), or `undefined` past the limit.
 */
export async function readStreamText(
  stream: ReadableStream<Uint8Array> | null,
  max: number,
): Promise<string | undefined> {
  const bytes = await readStreamBytes(stream, max);
  return bytes && Buffer.from(bytes).toString("utf8");
}

/** Reads a request's body, refusing (413) as soon as it passes the limit — chunked bodies too. */
export async function readBytes(
  request: Request,
  max: number,
): Promise<Uint8Array<ArrayBuffer> | Response> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > max) return tooLarge(max);
  return (await readStreamBytes(request.body, max)) ?? tooLarge(max);
}

/** Reads the body as text, refusing (413) as soon as it passes the limit — chunked bodies too. */
export async function readText(c: Context, max: number): Promise<string | Response> {
  const bytes = await readBytes(c.req.raw, max);
  return bytes instanceof Response ? bytes : Buffer.from(bytes).toString("utf8");
}

/**
 * Reads a JSON request body. An empty body is `{}` (as DRF's `request.data`); a body with a
 * content type other than JSON is a 415; JSON that does not parse is a 400 that says why;
 * a body over the limit is a 413.
 */
export async function readJson(c: Context, max: number): Promise<{ body: unknown } | Response> {
  const text = await readText(c, max);
  if (text instanceof Response) return text;
  if (text.trim() === "") return { body: {} };
  const type = (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (type !== "application/json" && !type.endsWith("+json")) {
    return fail(415, `Unsupported media type "${type || "none"}" in request.`);
  }
  try {
    return { body: JSON.parse(text) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : "invalid JSON";
    return fail(400, `JSON parse error - ${reason}`);
  }
}

/** A plain JSON object, or undefined. */
export function asObject(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** DRF's word for a JSON value's type, for "Expected X but got type Y" messages. */
export function typeName(value: unknown): string {
  if (value === null) return "NoneType";
  if (Array.isArray(value)) return "list";
  switch (typeof value) {
    case "string":
      return "str";
    case "number":
      return Number.isInteger(value) ? "int" : "float";
    case "boolean":
      return "bool";
    default:
      return "dict";
  }
}

/** DRF's message for a value that should have been a JSON object. */
export function notADictionary(value: unknown): string {
  return `Invalid data. Expected a dictionary, but got ${typeName(value)}.`;
}

/**
 * Reads a JSON request body that must be an object (as {@link readJson}, whose failures it
 * returns). Valid JSON of another type is a 400 with the endpoint's own `message` and DRF's
 * `non_field_errors`.
 */
export async function readObject(
  c: Context,
  max: number,
  message: string,
): Promise<Record<string, unknown> | Response> {
  const read = await readJson(c, max);
  if (read instanceof Response) return read;
  return (
    asObject(read.body) ??
    fail(400, message, { errors: { non_field_errors: [notADictionary(read.body)] } })
  );
}

/** Field-level validation errors, DRF style: field → messages. */
export type FieldErrors = Record<string, unknown>;

/** Whether validation found anything. */
export function hasErrors(errors: FieldErrors): boolean {
  return Object.keys(errors).length > 0;
}

/** Validates an optional or required string field into `errors`; returns the value. */
export function stringField(
  body: Record<string, unknown>,
  field: string,
  errors: FieldErrors,
  options: { required?: boolean; max?: number; allowBlank?: boolean } = {},
): string | undefined {
  const v = body[field];
  if (v === undefined || v === null) {
    if (options.required) errors[field] = ["This field is required."];
    return undefined;
  }
  if (typeof v !== "string") {
    errors[field] = ["Not a valid string."];
    return undefined;
  }
  if (!options.allowBlank && v.trim() === "") {
    errors[field] = ["This field may not be blank."];
    return undefined;
  }
  if (options.max !== undefined && v.length > options.max) {
    errors[field] = [`Ensure this field has no more than ${options.max} characters.`];
    return undefined;
  }
  return v;
}

/** Validates an integer field (JSON number or numeric string, as DRF accepts). */
export function intField(
  body: Record<string, unknown>,
  field: string,
  errors: FieldErrors,
  options: { required?: boolean } = {},
): number | undefined {
  const v = body[field];
  if (v === undefined || v === null || v === "") {
    if (options.required) errors[field] = ["This field is required."];
    return undefined;
  }
  const n = typeof v === "string" && /^-?\d{1,15}$/.test(v) ? Number(v) : v;
  if (typeof n !== "number" || !Number.isSafeInteger(n)) {
    errors[field] = ["A valid integer is required."];
    return undefined;
  }
  return n;
}
