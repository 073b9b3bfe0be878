import { UnpodArgumentError } from "@unpod/core";
import { invalidArgument } from "@unpod/core/internal";

/**
 * One injected fault: which requests it hits (`method` + `path`) and what happens to them.
 * Give at most one of `status`, `drop` and `malformed`; `latency` combines with any of them
 * (alone, it only delays the real answer). `times` makes a rule run out, so a test can say
 * "503 twice, then the real thing". Rules apply to every HTTP request (the REST API,
 * `/v1/rtc/validate`) and to the WebSocket upgrade on `/v1/rtc`, never to `/__dev/*`.
 * With `afterHandler`, the request takes effect first and only its answer is replaced or
 * lost — the case an idempotency key exists for.
 *
 * @example
 * ```ts
 * import { startDevServer } from "@unpod/dev-server";
 * const server = await startDevServer({ faults: true });
 * server.faults.add({ method: "GET", path: "/api/v2/platform/spaces/", status: 503, times: 2 });
 * server.faults.add({ path: "/api/v2/platform/**", status: 429, retryAfter: 2, times: 1 });
 * server.faults.add({ method: "POST", path: "/api/v2/platform/telephony/bridges/", drop: true, afterHandler: true, times: 1 });
 * server.faults.add({ path: "/v1/rtc", drop: true });
 * ```
 */
export interface FaultRule {
  /** HTTP method to match, case-insensitive; `"*"` for any. @defaultValue "*" */
  method?: string | undefined;
  /**
   * Path to match (no query string). A string is exact, except that `*` matches within one
   * segment and `**` matches across segments (`/api/v2/platform/spaces/*\/tasks/`); a RegExp
   * is tested as is.
   */
  path: string | RegExp;
  /** How many requests the rule hits before it retires. @defaultValue Infinity */
  times?: number | undefined;
  /** Milliseconds to wait before answering (0 … 60000). @defaultValue 0 */
  latency?: number | undefined;
  /**
   * Answer with this status (400 … 599) and the platform's error envelope instead of the
   * real answer. 429 carries `Retry-After`.
   */
  status?: number | undefined;
  /** Seconds for `Retry-After` (on 429 always, default 1; on other statuses when given). */
  retryAfter?: number | undefined;
  /** The envelope's `message` for a `status` fault. @defaultValue the status's usual text */
  message?: string | undefined;
  /** Destroy the connection without an answer (the client sees a network error or 1006). */
  drop?: boolean | undefined;
  /** Answer 200 with a truncated, unparsable JSON body. */
  malformed?: boolean | undefined;
  /**
   * Let the request reach the server and take effect (a POST creates its resource), then
   * replace its answer (`status`, `malformed`) or lose it (`drop`), after `latency`: a
   * gateway that fails after the origin did the work. HTTP requests only; on the WebSocket
   * upgrade the fault applies before, as without it.
   * @defaultValue false
   */
  afterHandler?: boolean | undefined;
}

/** What a matching rule does to one request. */
export interface FaultEffect {
  latency: number;
  kind: "delay" | "status" | "drop" | "malformed";
  status: number;
  retryAfter: number | undefined;
  message: string;
  /** Whether `message` came from the rule (else it is the status's usual text). */
  customMessage: boolean;
  /** Apply it once the real handler has answered (HTTP requests only). */
  afterHandler: boolean;
}

/**
 * The message of a `status` fault: the rule's, else the usual one — and on the real-time
 * endpoints a 429 says PROTOCOL.md's `Too many requests.`
 */
export function faultMessage(effect: FaultEffect, realtime: boolean): string {
  return realtime && effect.status === 429 && !effect.customMessage
    ? "Too many requests."
    : effect.message;
}

/** Fault injection, as `server.faults`: available only when the server started with `faults: true`. */
export interface DevServerFaults {
  /**
   * Adds a rule in front of the others: the newest rule that matches (and has `times`
   * left) applies, as with MSW's `server.use()`, so a test can override a broader rule
   * for a while.
   *
   * @param rule - What to match and what to do.
   * @returns A function that removes this rule (whatever `times` it has left); calling it
   *   again does nothing.
   * @throws {@link UnpodArgumentError} when the server was started without `faults: true`
   *   (option `faults`), or naming the field of the rule that is wrong.
   * @example
   * ```ts
   * import { startDevServer } from "@unpod/dev-server";
   * const server = await startDevServer({ faults: true });
   * server.faults.add({ path: "/api/v2/platform/**", status: 503 }); // everything fails…
   * const remove = server.faults.add({ path: "/api/v2/platform/spaces/", latency: 200 }); // …but spaces/ is only slow
   * remove(); // spaces/ fails again
   * ```
   */
  add(rule: FaultRule): () => void;
  /**
   * Adds a rule behind every other: rules from `set` are tried oldest first, and only
   * after the rules from {@link DevServerFaults.add}.
   *
   * @deprecated Use `add`, which returns a remover and lets the newest rule win; `set`
   *   goes in the next minor version.
   * @param rule - What to match and what to do.
   * @throws {@link UnpodArgumentError} as `add` does.
   */
  set(rule: FaultRule): void;
  /**
   * Removes every rule.
   *
   * @throws {@link UnpodArgumentError} when the server was started without `faults: true`.
   */
  clear(): void;
}

const REASONS: Record<number, string> = {
  400: "Bad request.",
  403: "You do not have permission to perform this action.",
  404: "Not found.",
  408: "Request timeout.",
  429: "Request was throttled.",
  500: "A server error occurred.",
  502: "Bad gateway.",
  503: "Service temporarily unavailable, try again later.",
  504: "Gateway timeout.",
};

function globToRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i] as string;
    if (ch === "*") {
      if (glob[i + 1] === "*") {
        re += ".*";
        i++;
      } else re += "[^/]*";
    } else re += ch.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

interface ActiveRule {
  method: string;
  path: RegExp;
  remaining: number;
  effect: FaultEffect;
}

const METHOD = /^(\*|[A-Za-z]{1,16})$/;
/** Most rules at once (`add` and `set` together). */
const MAX_RULES = 1000;

/**
 * Checks a rule and turns it into an active one.
 *
 * @throws {@link UnpodArgumentError} naming the field at fault (`rule.path`, `rule.status`, …).
 */
function normalise(rule: FaultRule): ActiveRule {
  if (typeof rule !== "object" || rule === null) throw invalidArgument("rule", "must be an object");
  const method = rule.method ?? "*";
  if (typeof method !== "string" || !METHOD.test(method)) {
    throw invalidArgument("rule.method", 'must be an HTTP method or "*"');
  }
  let path: RegExp;
  if (rule.path instanceof RegExp) {
    // A copy without g/y: those make test() stateful.
    path = new RegExp(rule.path.source, rule.path.flags.replace(/[gy]/g, ""));
  } else if (
    typeof rule.path === "string" &&
    rule.path.startsWith("/") &&
    rule.path.length <= 2048
  ) {
    path = globToRegExp(rule.path);
  } else throw invalidArgument("rule.path", 'must be a RegExp or a path starting with "/"');
  const times = rule.times ?? Number.POSITIVE_INFINITY;
  if (times !== Number.POSITIVE_INFINITY && (!Number.isSafeInteger(times) || times < 1)) {
    throw invalidArgument("rule.times", "must be a positive integer (or omitted for no limit)");
  }
  const latency = rule.latency ?? 0;
  if (!Number.isFinite(latency) || latency < 0 || latency > 60_000) {
    throw invalidArgument("rule.latency", "must be between 0 and 60000 milliseconds");
  }
  const kinds = [rule.status !== undefined, rule.drop === true, rule.malformed === true].filter(
    Boolean,
  );
  if (kinds.length > 1) {
    throw invalidArgument("rule", "give at most one of status, drop and malformed");
  }
  const status = rule.status ?? 0;
  if (
    rule.status !== undefined &&
    (!Number.isSafeInteger(status) || status < 400 || status > 599)
  ) {
    throw invalidArgument("rule.status", "must be an HTTP error status, 400 … 599");
  }
  let retryAfter = rule.retryAfter;
  if (
    retryAfter !== undefined &&
    (!Number.isSafeInteger(retryAfter) || retryAfter < 0 || retryAfter > 86400)
  ) {
    throw invalidArgument("rule.retryAfter", "must be whole seconds, 0 … 86400");
  }
  if (status === 429 && retryAfter === undefined) retryAfter = 1;
  if (
    rule.message !== undefined &&
    (typeof rule.message !== "string" || rule.message.length > 1000)
  ) {
    throw invalidArgument("rule.message", "must be a string of at most 1000 characters");
  }
  const afterHandler = rule.afterHandler ?? false;
  if (typeof afterHandler !== "boolean") {
    throw invalidArgument("rule.afterHandler", "must be a boolean");
  }
  const kind = rule.drop
    ? "drop"
    : rule.malformed
      ? "malformed"
      : rule.status !== undefined
        ? "status"
        : "delay";
  if (kind === "delay" && latency === 0) {
    throw invalidArgument("rule", "does nothing: give latency, status, drop or malformed");
  }
  const message =
    rule.message ??
    (status === 429
      ? `Request was throttled. Expected available in ${retryAfter} second${retryAfter === 1 ? "" : "s"}.`
      : (REASONS[status] ?? `HTTP ${status}.`));
  return {
    method: method.toUpperCase(),
    path,
    remaining: times,
    effect: {
      latency,
      kind,
      status,
      retryAfter,
      message,
      customMessage: rule.message !== undefined,
      afterHandler,
    },
  };
}

/** The rule table behind `server.faults`. */
export class FaultInjector implements DevServerFaults {
  readonly enabled: boolean;
  #rules: ActiveRule[] = [];

  constructor(enabled: boolean) {
    this.enabled = enabled;
  }

  #check(): void {
    if (!this.enabled) {
      throw invalidArgument(
        "faults",
        "fault injection is off: start the dev server with { faults: true } (loopback hosts only)",
      );
    }
  }

  /** Checks a new rule, and that there is room for it. */
  #admit(rule: FaultRule): ActiveRule {
    this.#check();
    if (this.#rules.length >= MAX_RULES) {
      throw invalidArgument(
        "rule",
        `${MAX_RULES} rules are active already: remove some, or clear()`,
      );
    }
    return normalise(rule);
  }

  add(rule: FaultRule): () => void {
    const active = this.#admit(rule);
    this.#rules.unshift(active);
    return () => {
      const i = this.#rules.indexOf(active);
      if (i >= 0) this.#rules.splice(i, 1);
    };
  }

  set(rule: FaultRule): void {
    this.#rules.push(this.#admit(rule));
  }

  clear(): void {
    this.#check();
    this.#rules = [];
  }

  /** Removes every rule, whether fault injection is on or not (`server.reset()`). */
  reset(): void {
    this.#rules = [];
  }

  /** The effect for this request, if a rule matches; counts the rule down. */
  take(method: string, path: string): FaultEffect | undefined {
    if (!this.enabled || this.#rules.length === 0) return undefined;
    const m = method.toUpperCase();
    const i = this.#rules.findIndex(
      (r) => (r.method === "*" || r.method === m) && r.path.test(path),
    );
    if (i < 0) return undefined;
    const rule = this.#rules[i] as ActiveRule;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.#rules.splice(i, 1);
    return rule.effect;
  }
}

/** A truncated JSON envelope: what a `malformed` fault sends. */
export const MALFORMED_BODY = '{"status_code": 200, "message": "Success", "data": [{"id": 1, "na';
