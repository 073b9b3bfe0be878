import { UnpodArgumentError } from "@unpod/core";
import { invalidArgument } from "@unpod/core/internal";
import type { ApiPromise } from "../apiPromise.js";
import type { HttpTransport } from "../internal/http.js";
import { apiCall } from "../internal/httpResource.js";
import type { RequestOptions } from "../types/options.js";
import type { CreateSessionTokenParams, SessionToken } from "../types/sessions.js";

/** `client.sessions`: tokens for real-time sessions served by a pipe's agent. */
export class Sessions {
  readonly #http: HttpTransport;

  /** @internal */
  constructor(http: HttpTransport) {
    this.#http = http;
  }

  /**
   * Mints a short-lived, single-use token for one session on a pipe
   * (`POST speech/v1/sessions/token`, body `{pipe_id, metadata}`). The session it starts is
   * served by the pipe's agent — your `AgentRunner`, or its HTTP endpoint — which gets
   * `metadata` with the call. Not retried (each call mints a new token).
   *
   * @param params - The pipe, and metadata for the agent.
   * @param options - Per-call options.
   * @returns The token and its expiry.
   * @throws {@link UnpodArgumentError} `pipeId` or `metadata` (nothing is sent).
   * @throws {@link UnpodApiError} `not_found` for an unknown pipe.
   * @example
   * ```ts
   * import { UnpodClient } from "@unpod/node";
   * const client = new UnpodClient();
   * const { token, expires_at } = await client.sessions.createToken({
   *   pipeId: "support-line",
   *   metadata: { customerId: "c_42" },
   * });
   * ```
   */
  createToken(
    params: CreateSessionTokenParams,
    options?: RequestOptions,
  ): ApiPromise<SessionToken> {
    return apiCall<SessionToken>(this.#http, () => {
      if (typeof params !== "object" || params === null) {
        throw invalidArgument("params", "must be an object with pipeId");
      }
      const { pipeId, metadata } = params;
      if (typeof pipeId !== "string" || pipeId.trim() === "") {
        throw invalidArgument("pipeId", "must be a non-empty string");
      }
      if (
        metadata !== undefined &&
        (typeof metadata !== "object" || metadata === null || Array.isArray(metadata))
      ) {
        throw invalidArgument("metadata", "must be a plain object");
      }
      return {
        method: "POST",
        path: "speech/v1/sessions/token",
        body: { pipe_id: pipeId, metadata: metadata ?? {} },
        options,
      };
    });
  }
}
