/** A typed event emitter: `on` returns the function that removes the listener. */
export interface Emitter<M> {
  on<K extends keyof M>(type: K, listener: (payload: M[K]) => void): () => void;
  emit<K extends keyof M>(type: K, payload: M[K]): void;
}

/**
 * Creates a tiny typed event emitter. A listener that throws is reported to `onError` and
 * stops neither the other listeners nor the session.
 */
export function createEmitter<M>(onError: (error: unknown) => void): Emitter<M> {
  // One set of [type, listener] pairs: smaller than a map of sets, and listeners are few.
  const entries = new Set<[keyof M, (payload: never) => void]>();
  return {
    on(type, listener) {
      const entry: [keyof M, (payload: never) => void] = [type, listener];
      entries.add(entry);
      return () => {
        entries.delete(entry);
      };
    },
    emit(type, payload) {
      for (const [t, listener] of [...entries]) {
        if (t === type) {
          try {
            (listener as (payload: unknown) => void)(payload);
          } catch (error) {
            onError(error);
          }
        }
      }
    },
  };
}
