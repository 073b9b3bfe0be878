import {
  type Clock,
  type Duration,
  UnpodArgumentError,
  UnpodConnectionError,
  type UnpodError,
} from "@unpod/core";
import { durationMs, invalidArgument } from "@unpod/core/internal";
import type { DisconnectedEvent, SessionEvents } from "../types.js";

/** Options of `UnpodSession.waitFor`. */
export interface WaitForOptions<T> {
  /** Only an event whose payload passes counts. */
  filter?: (payload: T) => boolean;
  /** Cancels the wait: it rejects with `aborted`. */
  signal?: AbortSignal;
  /** Gives up after this long: it rejects with `timeout`. @defaultValue no limit */
  timeout?: Duration;
}

/** The event names of a session, checked at run time. */
const EVENTS: ReadonlySet<string> = new Set<keyof SessionEvents>([
  "state",
  "agent_reply",
  "user_turn",
  "token_refreshed",
  "error",
  "disconnected",
]);

/** The longest `timeout` a wait takes (a day). */
const MAX_WAIT_MS = 86_400_000;

/** How a session lets {@link waitForEvent} listen. */
export interface EventSource {
  on<K extends keyof SessionEvents>(
    type: K,
    listener: (payload: SessionEvents[K]) => void,
  ): () => void;
}

/**
 * Resolves with the next `type` event (that passes `filter`). Rejects with `aborted` when
 * the signal fires or the session stops first (with the session's error, when it stopped on
 * one), with `timeout` after `timeout`. Every listener and timer is removed when it settles.
 *
 * @throws {@link UnpodArgumentError} (as a rejection) naming a bad `type`, `filter`,
 *   `signal` or `timeout`.
 */
export function waitForEvent<K extends keyof SessionEvents>(
  session: EventSource,
  clock: Clock,
  type: K,
  options: WaitForOptions<SessionEvents[K]> = {},
): Promise<SessionEvents[K]> {
  return new Promise((resolve, reject) => {
    if (!EVENTS.has(type)) {
      throw invalidArgument("type", `must be one of ${[...EVENTS].join(", ")}`);
    }
    const { filter, signal, timeout } = options;
    if (filter !== undefined && typeof filter !== "function") {
      throw invalidArgument("filter", "must be a function");
    }
    if (signal !== undefined && typeof signal?.addEventListener !== "function") {
      throw invalidArgument("signal", "must be an AbortSignal");
    }
    const ms =
      timeout === undefined
        ? undefined
        : durationMs(timeout, { option: "timeout", min: 0, max: MAX_WAIT_MS });
    const cleanups: (() => void)[] = [];
    const settle = (done: () => void) => {
      for (const cleanup of cleanups.splice(0)) cleanup();
      done();
    };
    const fail = (error: UnpodError) => settle(() => reject(error));
    cleanups.push(
      session.on(type, (payload) => {
        let wanted: boolean;
        try {
          wanted = !filter || filter(payload);
        } catch (error) {
          settle(() => reject(error));
          return;
        }
        if (wanted) settle(() => resolve(payload));
      }),
    );
    if (type !== "disconnected") {
      cleanups.push(
        session.on("disconnected", ({ error }: DisconnectedEvent) =>
          fail(
            error ?? new UnpodConnectionError("aborted", `The session stopped before "${type}".`),
          ),
        ),
      );
    }
    if (ms !== undefined) {
      const timer = clock.setTimeout(
        () => fail(new UnpodConnectionError("timeout", `No "${type}" within ${ms} ms.`)),
        ms,
      );
      cleanups.push(() => clock.clearTimeout(timer));
    }
    if (signal) {
      const onAbort = () => fail(new UnpodConnectionError("aborted", "Aborted."));
      if (signal.aborted) return onAbort();
      signal.addEventListener("abort", onAbort);
      cleanups.push(() => signal.removeEventListener("abort", onAbort));
    }
  });
}
