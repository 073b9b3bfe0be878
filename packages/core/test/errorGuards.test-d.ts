// The narrowing the guards give: hasErrorCode through the code → class map, one guard per class.
import { describe, expectTypeOf, it } from "vitest";
import {
  hasErrorCode,
  isUnpodApiError,
  isUnpodArgumentError,
  isUnpodAudioError,
  isUnpodConnectionError,
  isUnpodError,
  isUnpodSessionError,
  isUnpodTokenError,
  type UnpodApiError,
  type UnpodArgumentError,
  type UnpodAudioError,
  type UnpodConnectionError,
  type UnpodErrorByCode,
  type UnpodErrorClass,
  type UnpodErrorCode,
  type UnpodSessionError,
  type UnpodTokenError,
} from "../src/index.js";

type With<E, C> = E & { readonly code: C };

describe("the code → class map", () => {
  it("maps each code to the classes that carry it", () => {
    expectTypeOf<UnpodErrorByCode["rate_limited"]>().toEqualTypeOf<
      With<UnpodApiError, "rate_limited">
    >();
    expectTypeOf<UnpodErrorByCode["business_error"]>().toEqualTypeOf<
      With<UnpodApiError, "business_error">
    >();
    expectTypeOf<UnpodErrorByCode["timeout"]>().toEqualTypeOf<
      With<UnpodConnectionError, "timeout">
    >();
    expectTypeOf<UnpodErrorByCode["invalid_argument"]>().toEqualTypeOf<
      With<UnpodArgumentError, "invalid_argument">
    >();
    expectTypeOf<UnpodErrorByCode["invalid_token"]>().toEqualTypeOf<
      With<UnpodTokenError, "invalid_token">
    >();
    expectTypeOf<UnpodErrorByCode["session_replaced"]>().toEqualTypeOf<
      With<UnpodSessionError, "session_replaced">
    >();
    expectTypeOf<UnpodErrorByCode["microphone_denied"]>().toEqualTypeOf<
      With<UnpodAudioError, "microphone_denied">
    >();
  });

  it("codes two classes share map to both", () => {
    expectTypeOf<UnpodErrorByCode["token_expired"]>().toEqualTypeOf<
      With<UnpodApiError, "token_expired"> | With<UnpodTokenError, "token_expired">
    >();
    expectTypeOf<UnpodErrorByCode["missing_header"]>().toEqualTypeOf<
      With<UnpodApiError, "missing_header"> | With<UnpodArgumentError, "missing_header">
    >();
    expectTypeOf<UnpodErrorByCode["unauthorized"]>().toEqualTypeOf<
      With<UnpodApiError, "unauthorized"> | With<UnpodSessionError, "unauthorized">
    >();
  });

  it("every code is carried by some class", () => {
    type Orphans = {
      [C in UnpodErrorCode]: [UnpodErrorByCode[C]] extends [never] ? C : never;
    }[UnpodErrorCode];
    expectTypeOf<Orphans>().toBeNever();
    expectTypeOf<keyof UnpodErrorByCode>().toEqualTypeOf<UnpodErrorCode>();
  });

  it("UnpodErrorClass is the six classes", () => {
    expectTypeOf<UnpodErrorClass["name"]>().toEqualTypeOf<
      | "UnpodApiError"
      | "UnpodTokenError"
      | "UnpodConnectionError"
      | "UnpodArgumentError"
      | "UnpodSessionError"
      | "UnpodAudioError"
    >();
  });
});

describe("hasErrorCode", () => {
  it("rate_limited gives retryAfter and the HTTP fields", () => {
    const e: unknown = null;
    if (hasErrorCode(e, "rate_limited")) {
      expectTypeOf(e.retryAfter).toEqualTypeOf<number | undefined>();
      expectTypeOf(e.status).toBeNumber();
      expectTypeOf(e.headers).toEqualTypeOf<Readonly<Record<string, string>>>();
      expectTypeOf(e.name).toEqualTypeOf<"UnpodApiError">();
    }
  });

  it("a shared code narrows to a union the caller can split by name", () => {
    const e: unknown = null;
    if (hasErrorCode(e, "token_expired")) {
      expectTypeOf(e.code).toEqualTypeOf<"token_expired">();
      if (e.name === "UnpodTokenError") expectTypeOf(e.reason).toBeString();
      else expectTypeOf(e.status).toBeNumber();
      // @ts-expect-error only the API error has a status
      e.status;
    }
  });

  it("permission_denied is a session's (text refused) or voice's (audio refused)", () => {
    const e: unknown = null;
    if (hasErrorCode(e, "permission_denied")) {
      expectTypeOf(e.name).toEqualTypeOf<"UnpodSessionError" | "UnpodAudioError">();
      expectTypeOf(e.code).toEqualTypeOf<"permission_denied">();
    }
  });

  it("invalid_argument names its option; timeout has no HTTP fields", () => {
    const e: unknown = null;
    if (hasErrorCode(e, "invalid_argument")) expectTypeOf(e.option).toBeString();
    if (hasErrorCode(e, "timeout")) {
      expectTypeOf(e).toExtend<UnpodConnectionError>();
      // @ts-expect-error a connection error has no retryAfter
      e.retryAfter;
    }
  });

  it("a union of codes narrows to the union of their classes", () => {
    const e: unknown = null;
    const code = "timeout" as "timeout" | "not_found";
    if (hasErrorCode(e, code)) {
      expectTypeOf(e).toEqualTypeOf<
        With<UnpodConnectionError, "timeout"> | With<UnpodApiError, "not_found">
      >();
    }
  });

  it("takes codes only", () => {
    // @ts-expect-error not a code
    hasErrorCode(null, "rate-limited");
  });
});

describe("one guard per class", () => {
  it("each narrows unknown to its class", () => {
    const e: unknown = null;
    if (isUnpodApiError(e)) expectTypeOf(e).toEqualTypeOf<UnpodApiError>();
    if (isUnpodTokenError(e)) expectTypeOf(e).toEqualTypeOf<UnpodTokenError>();
    if (isUnpodConnectionError(e)) expectTypeOf(e).toEqualTypeOf<UnpodConnectionError>();
    if (isUnpodArgumentError(e)) expectTypeOf(e.option).toBeString();
    if (isUnpodSessionError(e)) expectTypeOf(e.closeCode).toEqualTypeOf<number | undefined>();
    if (isUnpodAudioError(e)) expectTypeOf(e).toEqualTypeOf<UnpodAudioError>();
  });

  it("within isUnpodError, the code still narrows with a switch", () => {
    const e: unknown = null;
    if (isUnpodError(e) && isUnpodConnectionError(e)) {
      expectTypeOf(e.code).toEqualTypeOf<"network_error" | "timeout" | "aborted">();
    }
  });
});
