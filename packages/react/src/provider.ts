"use client";
import {
  type DisconnectedEvent,
  type SessionErrorEvent,
  type TokenSource,
  UnpodSession,
  type UnpodSessionOptions,
} from "@unpod/browser";
import { invalidArgument } from "@unpod/core/internal";
import { createElement, type ReactNode, useEffect, useMemo, useRef } from "react";
import { UnpodContext } from "./context.js";
import { SessionHandle } from "./internal/sessionHandle.js";
import { useStableTokenSource } from "./useTokenSource.js";

/**
 * Options the provider passes through to the `UnpodSession` it creates: `WebSocket`,
 * `fetch`, `reconnect`, `connectTimeout`, `allowInsecure`, `logger`, `clock`, ….
 * Read once, when the session is created.
 */
export type UnpodProviderSessionOptions = Omit<
  UnpodSessionOptions,
  "serverUrl" | "token" | "tokenSource"
>;

/** Props shared by every way of giving the provider a session. */
export interface UnpodProviderBaseProps {
  /** The part of the app that uses the session. */
  children?: ReactNode;
  /**
   * Called when the session joins: its first connection, and again after a resume or a new
   * session that replaced a lost one. The newest function passed is called.
   */
  onConnected?: (() => void) | undefined;
  /** Called when the session stops (`disconnected`), with why. The newest function passed is called. */
  onDisconnected?: ((event: DisconnectedEvent) => void) | undefined;
  /**
   * Called on every `error` event: fatal ones (the session stops) and refused actions
   * (`fatal: false`). The newest function passed is called.
   */
  onError?: ((event: SessionErrorEvent) => void) | undefined;
}

/** Props of a provider that creates, connects and disconnects its own session. */
export interface UnpodProviderOwnedProps extends UnpodProviderBaseProps {
  /**
   * The real-time server: `wss://…` or `https://…` (plain `ws://`/`http://` only to
   * loopback unless `options.allowInsecure`). A new value starts a new session.
   */
  serverUrl: string;
  /**
   * Whether the session should be connected. `true` connects after mount (exactly once,
   * StrictMode included); a change to `false` disconnects, a change back connects again.
   * `false` leaves it to the app ({@link useSessionControls}). Unmounting always
   * disconnects the provider's own session.
   *
   * @defaultValue `true`
   */
  connect?: boolean | undefined;
  /** Passed to the `UnpodSession` the provider creates; read once, when it is created. */
  options?: UnpodProviderSessionOptions | undefined;
  /**
   * Called with each session the provider creates, right after it is created (on the
   * client, on first use) and before it connects: the place to attach what must be there
   * from the first connection (`@unpod/react/voice` attaches its `UnpodVoice` here). Read
   * when the session is created.
   */
  onSessionCreated?: ((session: UnpodSession) => void) | undefined;
  /** Only with {@link UnpodProviderSharedProps}. */
  session?: never;
}

/** An owned session connecting with a token the app already has. */
export interface UnpodProviderTokenProps extends UnpodProviderOwnedProps {
  /**
   * An access token from the app's backend. A new value starts a new session (a token names
   * one room and identity). The session keeps itself fresh with the tokens the server
   * pushes, so there is no need to pass refreshed tokens here.
   */
  token: string;
  /** Only with {@link UnpodProviderTokenSourceProps}. */
  tokenSource?: never;
}

/** An owned session fetching its tokens from the app's backend. */
export interface UnpodProviderTokenSourceProps extends UnpodProviderOwnedProps {
  /**
   * Where to fetch a token for each new connection: the app's token endpoint URL, or a
   * function. A new URL starts a new session; a new function does not (the newest one is
   * called), so an inline arrow is fine.
   */
  tokenSource: TokenSource;
  /** Only with {@link UnpodProviderTokenProps}. */
  token?: never;
}

/** Props of a provider that shares a session the app created and owns. */
export interface UnpodProviderSharedProps extends UnpodProviderBaseProps {
  /** The app's session. The provider only hands it to the hooks; it never connects or disconnects it. */
  session: UnpodSession;
  /** Only with {@link UnpodProviderOwnedProps}. */
  serverUrl?: never;
  /** Only with {@link UnpodProviderTokenProps}. */
  token?: never;
  /** Only with {@link UnpodProviderTokenSourceProps}. */
  tokenSource?: never;
  /** Only with {@link UnpodProviderOwnedProps}; control a shared session with {@link useSessionControls}. */
  connect?: never;
  /** Only with {@link UnpodProviderOwnedProps}. */
  options?: never;
  /** Only with {@link UnpodProviderOwnedProps}: attach to a shared session before sharing it. */
  onSessionCreated?: never;
}

/**
 * Props of {@link UnpodProvider}: `serverUrl` with exactly one of `token` / `tokenSource`
 * (the provider owns the session), or a `session` the app owns.
 */
export type UnpodProviderProps =
  | UnpodProviderTokenProps
  | UnpodProviderTokenSourceProps
  | UnpodProviderSharedProps;

/**
 * Makes an Unpod session available to the hooks below it.
 *
 * Given `serverUrl` and a `token` or `tokenSource`, it owns the session: creates it on the
 * client (never during server rendering), connects it after mount when `connect` is true
 * — one connection, StrictMode's double effects included — and disconnects it on unmount.
 * Given a `session`, it only shares it: the app connects and disconnects it.
 *
 * The provider does not subscribe to the session, so its children re-render only through
 * the hooks that read what changed.
 *
 * @param props - See {@link UnpodProviderProps}.
 * @returns The context provider element.
 * @throws {@link @unpod/core!UnpodArgumentError} (`option: "session"`) when given both `session` and
 *   session-creating props; the session's own `UnpodArgumentError` (e.g. `serverUrl`) on
 *   bad options, when the session is created.
 * @example
 * ```tsx
 * <UnpodProvider serverUrl="wss://rtc.example.com" tokenSource="/api/unpod-token">
 *   <Conversation />
 * </UnpodProvider>
 * ```
 */
export function UnpodProvider(props: UnpodProviderProps): ReactNode {
  const { session, serverUrl, token, options, children, onSessionCreated } = props;
  if (
    session !== undefined &&
    [serverUrl, token, props.tokenSource, options, props.connect, onSessionCreated].some(
      (p) => p !== undefined,
    )
  ) {
    throw invalidArgument(
      "session",
      "pass either `session` or `serverUrl` with `token`/`tokenSource`, not both",
    );
  }
  const tokenSource = useStableTokenSource(props.tokenSource);
  const connect = props.connect ?? true;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `options` and `onSessionCreated` are read once, at creation.
  const handle = useMemo(
    () =>
      new SessionHandle(
        session ??
          (() => {
            const created = new UnpodSession({
              ...options,
              serverUrl: serverUrl as string,
              ...(token === undefined ? { tokenSource: tokenSource as TokenSource } : { token }),
            } as UnpodSessionOptions);
            onSessionCreated?.(created);
            return created;
          }),
      ),
    [session, serverUrl, token, tokenSource],
  );

  // The callbacks: subscribed once per session, always calling the newest props.
  const callbacks = useRef(props);
  useEffect(() => {
    callbacks.current = props;
  });
  useEffect(() => {
    const { session: current } = handle;
    const offState = current.on("state", ({ state }) => {
      if (state === "connected") callbacks.current.onConnected?.();
    });
    const offEnd = current.on("disconnected", (event) => callbacks.current.onDisconnected?.(event));
    const offError = current.on("error", (event) => callbacks.current.onError?.(event));
    return () => {
      offState();
      offEnd();
      offError();
    };
  }, [handle]);

  useEffect(() => {
    if (!handle.owned) return;
    handle.sync(connect);
    return () => handle.release();
  }, [handle, connect]);

  return createElement(UnpodContext.Provider, { value: handle }, children);
}
