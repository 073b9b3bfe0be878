import { describe, expectTypeOf, it } from "vitest";
import {
  type AccessTokenClaims,
  type AgentState,
  type ApiErrorCode,
  type ApiRequestInfo,
  type ArgumentErrorCode,
  type BuildHeadersOptions,
  buildHeaders,
  type ClientFrame,
  type Clock,
  type ConnectionErrorCode,
  type DecodedToken,
  type Duration,
  decodeToken,
  errorFromResponse,
  hasErrorCode,
  isUnpodApiError,
  isUnpodError,
  isUnpodTokenError,
  type LeaveReason,
  type Logger,
  type Participant,
  parseClientFrame,
  parseServerFrame,
  type SequencedClientFrame,
  type SequencedServerFrame,
  type ServerFrame,
  type SessionErrorCode,
  type TokenErrorCode,
  UnpodApiError,
  type UnpodArgumentError,
  UnpodConnectionError,
  UnpodError,
  type UnpodErrorCode,
  UnpodSessionError,
  UnpodTokenError,
} from "../src/index.js";

describe("error codes", () => {
  it("UnpodErrorCode is exactly the documented union", () => {
    expectTypeOf<UnpodErrorCode>().toEqualTypeOf<
      | "bad_request"
      | "missing_header"
      | "unauthorized"
      | "forbidden"
      | "token_expired"
      | "token_not_yet_valid"
      | "invalid_token"
      | "not_found"
      | "rate_limited"
      | "business_error"
      | "server_error"
      | "http_error"
      | "response_too_large"
      | "network_error"
      | "timeout"
      | "aborted"
      | "invalid_argument"
      | "protocol_error"
      | "session_not_found"
      | "session_replaced"
      | "permission_denied"
      | "buffer_full"
      | "audio_not_supported"
      | "microphone_denied"
      | "microphone_unavailable"
      | "audio_unavailable"
      | "audio_failed"
    >();
  });

  it("every subclass's codes are UnpodErrorCodes", () => {
    expectTypeOf<ApiErrorCode>().toExtend<UnpodErrorCode>();
    expectTypeOf<TokenErrorCode>().toExtend<UnpodErrorCode>();
    expectTypeOf<ConnectionErrorCode>().toExtend<UnpodErrorCode>();
    expectTypeOf<ArgumentErrorCode>().toExtend<UnpodErrorCode>();
    expectTypeOf<SessionErrorCode>().toExtend<UnpodErrorCode>();
    expectTypeOf<TokenErrorCode>().toEqualTypeOf<
      "invalid_token" | "token_expired" | "token_not_yet_valid"
    >();
    expectTypeOf<ConnectionErrorCode>().toEqualTypeOf<"network_error" | "timeout" | "aborted">();
  });

  it("each class only takes its own codes", () => {
    const request = { method: "GET", url: "https://h/" };
    // @ts-expect-error timeout is not an API error code
    new UnpodApiError("timeout", "m", { status: 0, request });
    // @ts-expect-error not_found is not a connection error code
    new UnpodConnectionError("not_found", "m");
    // @ts-expect-error not a code at all
    new UnpodError("oops", "m");
    // @ts-expect-error a token error needs a reason
    new UnpodTokenError("invalid_token", "m", {});
    expectTypeOf(
      new UnpodTokenError("invalid_token", "m", { reason: "r" }).code,
    ).toEqualTypeOf<TokenErrorCode>();
    expectTypeOf(
      new UnpodSessionError("protocol_error", "m").code,
    ).toEqualTypeOf<SessionErrorCode>();
  });

  it("names are literal types", () => {
    expectTypeOf<UnpodApiError["name"]>().toEqualTypeOf<"UnpodApiError">();
    expectTypeOf<UnpodTokenError["name"]>().toEqualTypeOf<"UnpodTokenError">();
    expectTypeOf<UnpodConnectionError["name"]>().toEqualTypeOf<"UnpodConnectionError">();
    expectTypeOf<UnpodArgumentError["name"]>().toEqualTypeOf<"UnpodArgumentError">();
    expectTypeOf<UnpodSessionError["name"]>().toEqualTypeOf<"UnpodSessionError">();
  });
});

describe("guards narrow", () => {
  it("hasErrorCode narrows unknown to the class carrying that literal code", () => {
    const e: unknown = null;
    if (hasErrorCode(e, "rate_limited")) {
      expectTypeOf(e).toEqualTypeOf<UnpodApiError & { readonly code: "rate_limited" }>();
      expectTypeOf(e.code).toEqualTypeOf<"rate_limited">();
      expectTypeOf(e.message).toBeString();
    }
    // @ts-expect-error not a code
    hasErrorCode(e, "rate-limited");
  });

  it("isUnpodError / isUnpodApiError / isUnpodTokenError", () => {
    const e: unknown = null;
    if (isUnpodError(e)) expectTypeOf(e.code).toEqualTypeOf<UnpodErrorCode>();
    if (isUnpodApiError(e)) {
      expectTypeOf(e.code).toEqualTypeOf<ApiErrorCode>();
      expectTypeOf(e.status).toBeNumber();
    }
    if (isUnpodTokenError(e)) expectTypeOf(e.reason).toBeString();
  });

  it("a switch over code is exhaustive", () => {
    const describeCode = (e: UnpodConnectionError): string => {
      switch (e.code) {
        case "network_error":
        case "timeout":
        case "aborted":
          return e.code;
        default:
          return e.code satisfies never;
      }
    };
    expectTypeOf(describeCode).returns.toBeString();
  });
});

describe("UnpodApiError fields", () => {
  it("has typed, read-only fields", () => {
    expectTypeOf<UnpodApiError>().toExtend<UnpodError<ApiErrorCode>>();
    expectTypeOf<UnpodApiError["status"]>().toBeNumber();
    expectTypeOf<UnpodApiError["method"]>().toBeString();
    expectTypeOf<UnpodApiError["url"]>().toBeString();
    expectTypeOf<UnpodApiError["requestId"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<UnpodApiError["retryAfter"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<UnpodApiError["body"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<UnpodApiError["data"]>().toBeUnknown();
    expectTypeOf<UnpodApiError["errors"]>().toBeUnknown();
    const e = errorFromResponse({ status: 500, body: "", request: { method: "GET", url: "u" } });
    expectTypeOf(e).toEqualTypeOf<UnpodApiError | undefined>();
    if (e) {
      // @ts-expect-error read-only
      e.status = 200;
    }
  });

  it("UnpodArgumentError names its option", () => {
    expectTypeOf<UnpodArgumentError["option"]>().toBeString();
    expectTypeOf<UnpodArgumentError["code"]>().toEqualTypeOf<
      "invalid_argument" | "missing_header"
    >();
  });
});

describe("ServerFrame / ClientFrame are discriminated unions", () => {
  it("narrowing on type gives each frame its fields", () => {
    const f = parseServerFrame("");
    expectTypeOf(f).toEqualTypeOf<ServerFrame | null>();
    if (!f) return;
    switch (f.type) {
      case "joined":
        expectTypeOf(f.participant).toEqualTypeOf<Participant>();
        expectTypeOf(f.session_id).toBeString();
        expectTypeOf(f.resumed).toBeBoolean();
        break;
      case "token_refreshed":
        expectTypeOf(f.token).toBeString();
        expectTypeOf(f.expires_at).toBeNumber();
        break;
      case "agent_reply":
      case "user_turn":
        expectTypeOf(f.turn_id).toBeString();
        expectTypeOf(f.final).toBeBoolean();
        break;
      case "error":
        expectTypeOf(f.ref_seq).toEqualTypeOf<number | undefined>();
        break;
      case "leave":
        expectTypeOf(f.reason).toEqualTypeOf<LeaveReason>();
        break;
      case "pong":
        expectTypeOf(f.t).toBeNumber();
        // @ts-expect-error pong carries no seq
        f.seq;
        break;
      case "ack":
        expectTypeOf(f.client_seq).toBeNumber();
        // @ts-expect-error the server's ack carries no seq
        f.seq;
        break;
      case "audio_start":
      case "audio_end":
        expectTypeOf(f.turn_id).toBeString();
        break;
      case "interrupt":
        expectTypeOf(f.reason).toEqualTypeOf<"barge_in" | "client" | "server">();
        break;
      case "agent_state":
        expectTypeOf(f.state).toEqualTypeOf<AgentState>();
        expectTypeOf(f.turn_id).toEqualTypeOf<string | undefined>();
        break;
      case "user_speech":
        expectTypeOf(f.speaking).toBeBoolean();
        break;
      default:
        expectTypeOf(f).toBeNever();
    }
  });

  it("client frames", () => {
    const f = parseClientFrame("");
    expectTypeOf(f).toEqualTypeOf<ClientFrame>();
    if (f.type === "user_text") expectTypeOf(f.text).toBeString();
    if (f.type === "ping") expectTypeOf(f.t).toBeNumber();
    expectTypeOf<ClientFrame["type"]>().toEqualTypeOf<
      "user_text" | "ack" | "ping" | "leave" | "mute" | "interrupt" | "playback"
    >();
    expectTypeOf<ServerFrame["type"]>().toEqualTypeOf<
      | "joined"
      | "token_refreshed"
      | "agent_reply"
      | "user_turn"
      | "error"
      | "leave"
      | "pong"
      | "ack"
      | "audio_start"
      | "audio_end"
      | "interrupt"
      | "agent_state"
      | "user_speech"
    >();
    expectTypeOf<SequencedServerFrame["type"]>().toEqualTypeOf<
      Exclude<ServerFrame["type"], "pong" | "ack">
    >();
    expectTypeOf<SequencedClientFrame["type"]>().toEqualTypeOf<
      Exclude<ClientFrame["type"], "ping" | "ack">
    >();
  });
});

describe("tokens, headers, durations", () => {
  it("decodeToken returns typed claims", () => {
    const { claims } = decodeToken("");
    expectTypeOf(decodeToken).returns.toEqualTypeOf<DecodedToken>();
    expectTypeOf(claims).toEqualTypeOf<AccessTokenClaims>();
    expectTypeOf(claims.exp).toBeNumber();
    expectTypeOf(claims.iss).toBeString();
    expectTypeOf(claims.video?.room).toEqualTypeOf<string | undefined>();
    expectTypeOf(claims.video?.canPublishSources).toEqualTypeOf<
      ("camera" | "microphone" | "screen_share" | "screen_share_audio")[] | undefined
    >();
  });

  it("buildHeaders only takes known methods and scope headers", () => {
    expectTypeOf(buildHeaders).returns.toEqualTypeOf<Record<string, string>>();
    // @ts-expect-error unknown method
    buildHeaders({ apiToken: "t", method: "TRACE" });
    // @ts-expect-error only orgHandle / productId can be required
    buildHeaders({ apiToken: "t", method: "GET", require: ["requestId"] });
    // @ts-expect-error the token is required
    buildHeaders({ method: "GET" });
    expectTypeOf<BuildHeadersOptions["require"]>().toEqualTypeOf<
      readonly ("orgHandle" | "productId")[] | undefined
    >();
  });

  it("Duration is seconds or a string", () => {
    expectTypeOf<Duration>().toEqualTypeOf<number | string>();
  });

  it("the shared Logger and Clock: every method of the logger optional, fields optional", () => {
    const printing: Logger = console;
    const partial: Logger = { warn: (message) => void message };
    expectTypeOf(printing).toMatchTypeOf<Logger>();
    expectTypeOf(partial.debug).toEqualTypeOf<Logger["debug"]>();
    expectTypeOf<Parameters<NonNullable<Logger["warn"]>>>().toEqualTypeOf<
      [message: string, fields?: Readonly<Record<string, unknown>>]
    >();
    expectTypeOf<Clock["now"]>().returns.toBeNumber();
  });

  it("ApiRequestInfo does not shadow the DOM's RequestInfo", () => {
    expectTypeOf<ApiRequestInfo>().toEqualTypeOf<{
      method: string;
      url: string;
      requestId?: string | undefined;
    }>();
  });
});
