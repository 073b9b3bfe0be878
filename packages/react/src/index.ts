/**
 * React provider and hooks for Unpod real-time sessions, over `@unpod/browser`'s
 * `UnpodSession`: one connection per mounted provider (StrictMode included), nothing
 * created or connected during server rendering, and every read through
 * `useSyncExternalStore`, so a component re-renders only when what it reads changes.
 *
 * @packageDocumentation
 * @mergeModuleWith <project>
 */
// Re-exported from @unpod/browser: the guards for what the provider's `onError` and the
// session's events carry, so one import serves a React app.
export {
  hasErrorCode,
  isUnpodArgumentError,
  isUnpodConnectionError,
  isUnpodError,
  isUnpodSessionError,
  isUnpodTokenError,
} from "@unpod/browser";
export { useMaybeUnpodSession, useUnpodSession } from "./context.js";
export {
  UnpodProvider,
  type UnpodProviderBaseProps,
  type UnpodProviderOwnedProps,
  type UnpodProviderProps,
  type UnpodProviderSessionOptions,
  type UnpodProviderSharedProps,
  type UnpodProviderTokenProps,
  type UnpodProviderTokenSourceProps,
} from "./provider.js";
export type { SessionControls } from "./sessionControls.js";
export { useConnectionState } from "./useConnectionState.js";
export { useSessionControls } from "./useSessionControls.js";
export { useSessionEvent } from "./useSessionEvent.js";
export {
  type SessionHookOptions,
  type SessionSelectorOptions,
  useSessionSelector,
} from "./useSessionSelector.js";
export { useTokenSource } from "./useTokenSource.js";
export { useTranscript } from "./useTranscript.js";
