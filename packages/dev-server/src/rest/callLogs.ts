import type { CallLogRecord } from "../store.js";
import { fail } from "./envelope.js";
import { productId, requireOrgHandle } from "./headers.js";
import { pagedList } from "./paging.js";
import type { RouteDef } from "./types.js";

const SORTABLE = new Set(["start_time", "end_time", "call_duration", "creation_time"]);

/**
 * Reads a date filter. Accepts ISO (`2025-11-03`, `2025-11-03T10:00:00Z`) and the platform's
 * own `DD-MM-YYYY HH:MM:SS`. Returns the UTC day as `YYYY-MM-DD` (the platform compares dates).
 */
function parseDay(value: string): string | undefined {
  const dmy = /^(\d{2})-(\d{2})-(\d{4})(?: (\d{2}):(\d{2}):(\d{2}))?$/.exec(value.trim());
  const ms = dmy ? Date.UTC(Number(dmy[3]), Number(dmy[2]) - 1, Number(dmy[1])) : Date.parse(value);
  if (!Number.isFinite(ms) || (!dmy && !/^\d{4}-\d{2}-\d{2}/.test(value.trim()))) return undefined;
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * Reads `sort`: the platform's JSON form `{"start_time":"ascend"}`, or `start_time` /
 * `-start_time`. Unknown keys fall back to the default, newest first.
 */
function parseSort(value: string | undefined): { key: keyof CallLogRecord; desc: boolean } {
  const fallback = { key: "creation_time" as const, desc: true };
  if (!value) return fallback;
  try {
    const parsed: unknown = JSON.parse(value);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
      const [key, dir] = Object.entries(parsed)[0] ?? [];
      if (key && SORTABLE.has(key))
        return { key: key as keyof CallLogRecord, desc: dir !== "ascend" };
      return fallback;
    }
  } catch {
    // not JSON: the plain form
  }
  const desc = value.startsWith("-");
  const key = desc ? value.slice(1) : value;
  return SORTABLE.has(key) ? { key: key as keyof CallLogRecord, desc } : fallback;
}

/** The call log. */
export function callLogRoutes(): RouteDef[] {
  return [
    {
      path: "/call-logs/",
      methods: {
        GET: (c, deps) => {
          const handle = requireOrgHandle(c);
          if (typeof handle !== "string") return handle;
          const product = productId(c);
          if (!product) return fail(400, "Product ID is required in Product-Id header");
          const q = (name: string) => c.req.query(name)?.trim() || undefined;
          const days: Record<string, string | undefined> = {};
          for (const [name, alias] of [
            ["start_date", "start_time"],
            ["end_date", "end_time"],
          ] as const) {
            const raw = q(name) ?? q(alias);
            if (raw === undefined) continue;
            const day = parseDay(raw);
            if (!day) {
              return fail(
                400,
                `Failed to fetch call logs: invalid ${q(name) !== undefined ? name : alias} ${JSON.stringify(raw.slice(0, 40))} (use YYYY-MM-DD or DD-MM-YYYY HH:MM:SS)`,
              );
            }
            days[name] = day;
          }
          const callType = q("call_type")?.toLowerCase();
          const callStatus = q("call_status")?.toLowerCase();
          const source = q("source_number");
          const destination = q("destination_number");
          const sort = parseSort(q("sort"));
          const logs = deps.store.data.callLogs
            .filter(
              (l) =>
                l._org === handle &&
                l._product === product &&
                (!callType || l.call_type.toLowerCase() === callType) &&
                (!callStatus || l.call_status.toLowerCase() === callStatus) &&
                (!days.start_date || l.start_time.slice(0, 10) >= days.start_date) &&
                (!days.end_date || l.end_time.slice(0, 10) <= days.end_date) &&
                (!source || l.source_number.startsWith(source)) &&
                (!destination || l.destination_number.startsWith(destination)),
            )
            .sort((a, b) => {
              const x = a[sort.key] as string | number;
              const y = b[sort.key] as string | number;
              const cmp = x < y ? -1 : x > y ? 1 : a.id - b.id;
              return sort.desc ? -cmp : cmp;
            });
          return pagedList(
            c,
            logs,
            ({ _org, _product, ...row }) => row,
            "Call logs fetched successfully",
          );
        },
      },
    },
  ];
}
