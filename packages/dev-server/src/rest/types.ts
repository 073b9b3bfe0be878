import type { HttpBindings } from "@hono/node-server";
import type { Clock } from "@unpod/core";
import type { Context } from "hono";
import type { PipeTable } from "../orchestrator/pipes.js";
import type { SessionTokens } from "../orchestrator/sessionTokens.js";
import type { Store } from "../store.js";

/** Hono environment of the whole app. */
export interface AppEnv {
  Bindings: HttpBindings;
}

/** What the REST handlers need. */
export interface RestDeps {
  store: Store;
  clock: Clock;
  /** Largest request body in bytes. */
  maxBodySize: number;
  /** Pipes and the session tokens minted for them (`speech/v1/sessions/token`). */
  sessions: { pipes: PipeTable; tokens: SessionTokens };
}

/** A request handler. */
export type Handler = (c: Context<AppEnv>, deps: RestDeps) => Response | Promise<Response>;

/** One platform route: a path (Hono syntax, relative to `/api/v2/platform`) and its methods. */
export interface RouteDef {
  path: string;
  methods: Partial<Record<"GET" | "POST" | "PATCH" | "DELETE", Handler>>;
}
