import { createEmitter } from "./events.js";

/** An observable value for React's `useSyncExternalStore`. */
export interface Store<S> {
  /** The current snapshot: the same frozen object until `set()` changes a field. */
  get(): S;
  /** Adds a listener, called after every change; returns the function that removes it. */
  subscribe(listener: () => void): () => void;
  /** Merges `patch` into a new frozen snapshot and notifies, unless no field changed. */
  set(patch: Partial<S>): void;
}

/** Creates a {@link Store}. A listener that throws is reported to `onError`. */
export function createStore<S extends object>(
  initial: S,
  onError: (error: unknown) => void,
): Store<S> {
  let state = Object.freeze(initial);
  // The listeners are an emitter's: each subscription is its own entry (subscribing one
  // function twice gives two independent subscriptions), and a throw is reported.
  const { on, emit } = createEmitter<{ change: undefined }>(onError);
  return {
    get: () => state,
    subscribe: (listener) => on("change", listener),
    set(patch) {
      if (Object.keys(patch).some((k) => !Object.is(state[k as keyof S], patch[k as keyof S]))) {
        state = Object.freeze({ ...state, ...patch });
        emit("change", undefined);
      }
    },
  };
}
