import type { Context } from "hono";
import { fail, ok } from "./envelope.js";

/** Default and largest `page_size`. */
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

const INT = /^\d{1,9}$/;

/** Sort order for records with an ISO `created`: newest first. */
export const byCreatedDesc = (a: { created: string }, b: { created: string }) =>
  a.created < b.created ? 1 : a.created > b.created ? -1 : 0;

/**
 * Reads `page` and `page_size` (1-based; `0` or absent means the default, as on the
 * platform) and slices `items`. A non-numeric or negative value is a 400; `page_size` above
 * {@link MAX_PAGE_SIZE} is capped; a page past the end is empty with the full `count`.
 */
export function paginate<T>(
  c: Context,
  items: readonly T[],
): { page: T[]; count: number } | Response {
  const rawPage = c.req.query("page");
  const rawSize = c.req.query("page_size");
  if (
    (rawPage !== undefined && !INT.test(rawPage)) ||
    (rawSize !== undefined && !INT.test(rawSize))
  ) {
    return fail(400, "Invalid page.", {
      errors: {
        ...(rawPage !== undefined && !INT.test(rawPage)
          ? { page: ["A valid integer is required."] }
          : {}),
        ...(rawSize !== undefined && !INT.test(rawSize)
          ? { page_size: ["A valid integer is required."] }
          : {}),
      },
    });
  }
  const page = Number(rawPage ?? 0) || 1;
  const size = Math.min(Number(rawSize ?? 0) || DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  const start = (page - 1) * size;
  return { page: items.slice(start, start + size), count: items.length };
}

/**
 * A paged list response: one page of `items` (see {@link paginate}), each through `toJson`,
 * with the endpoint's `message` (default `Success`) and the whole list's `count`.
 */
export function pagedList<T>(
  c: Context,
  items: readonly T[],
  toJson: (item: T) => unknown,
  message?: string,
): Response {
  const paged = paginate(c, items);
  if (paged instanceof Response) return paged;
  return ok(
    paged.page.map((item) => toJson(item)),
    { message, count: paged.count },
  );
}
