// The guards check `name` and `code`, so they accept errors thrown by another copy of the
// SDK: the built CommonJS and ESM files loaded beside the source, and a copy evaluated in
// another realm (node:vm context), where even `instanceof Error` is false.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { runInNewContext } from "node:vm";
import { beforeAll, describe, expect, it } from "vitest";
import * as src from "../src/index.js";
import { bundleIife } from "./bundle.js";

type Core = typeof src;
const require = createRequire(import.meta.url);
const dist = new URL("../dist/index.cjs", import.meta.url);

function throwsFrom(core: Core) {
  const caught: unknown[] = [];
  const attempt = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      caught.push(error);
    }
  };
  attempt(() => core.decodeToken("not-a-token"));
  attempt(() => core.parseServerFrame("{"));
  attempt(() => core.buildHeaders({ apiToken: "", method: "GET" }));
  attempt(() => core.isTokenExpired({ exp: 1 }, { leeway: -1 }));
  const api = core.errorFromResponse({
    status: 404,
    body: '{"status_code":404,"message":"Space not found"}',
    request: { method: "GET", url: "https://h/" },
  });
  // No function of core throws these two; the copy's own classes make them.
  const connection = new core.UnpodConnectionError("timeout", "too slow");
  const audio = new core.UnpodAudioError("audio_failed", "no audio");
  return [...caught, api, connection, audio] as [
    unknown,
    unknown,
    unknown,
    unknown,
    unknown,
    unknown,
    unknown,
  ];
}

// Each guard names exactly one of the errors.
const GUARDS = [
  "isUnpodTokenError",
  "isUnpodSessionError",
  "isUnpodArgumentError",
  "isUnpodArgumentError",
  "isUnpodApiError",
  "isUnpodConnectionError",
  "isUnpodAudioError",
] as const;

function expectAccepted(core: Core, errors: ReturnType<typeof throwsFrom>) {
  const [token, frame, header, duration, api, connection, audio] = errors;
  for (const [i, e] of errors.entries()) {
    for (const guard of new Set(GUARDS)) expect(core[guard](e), guard).toBe(guard === GUARDS[i]);
  }
  expect(core.hasErrorCode(connection, "timeout")).toBe(true);
  expect(core.hasErrorCode(audio, "audio_failed")).toBe(true);
  for (const e of errors) expect(core.isUnpodError(e)).toBe(true);
  expect(core.isUnpodTokenError(token)).toBe(true);
  expect(core.hasErrorCode(token, "invalid_token")).toBe(true);
  expect(core.hasErrorCode(frame, "protocol_error")).toBe(true);
  expect(core.hasErrorCode(header, "invalid_argument")).toBe(true);
  expect(core.hasErrorCode(duration, "invalid_argument")).toBe(true);
  expect(core.isUnpodApiError(api)).toBe(true);
  expect(core.hasErrorCode(api, "not_found")).toBe(true);
  expect(core.isUnpodApiError(token)).toBe(false);
}

describe("built dist/index.cjs (require) beside the source", () => {
  let cjs: Core;
  beforeAll(() => {
    if (!existsSync(dist))
      throw new Error("dist/ is missing: run `pnpm --filter @unpod/core build`");
    cjs = require(dist.pathname) as Core;
  });

  it("is a different copy: instanceof fails both ways", () => {
    const [fromCjs] = throwsFrom(cjs);
    const [fromSrc] = throwsFrom(src);
    expect(cjs.UnpodError).not.toBe(src.UnpodError);
    expect(fromCjs instanceof src.UnpodError).toBe(false);
    expect(fromSrc instanceof cjs.UnpodError).toBe(false);
  });

  it("source guards accept the copy's errors, and the copy's guards accept the source's", () => {
    expectAccepted(src, throwsFrom(cjs));
    expectAccepted(cjs, throwsFrom(src));
  });

  it("the ESM build is yet another copy and is accepted too", async () => {
    const esm = (await import(
      /* @vite-ignore */ new URL("../dist/index.js", import.meta.url).href
    )) as Core;
    expect(esm.UnpodError).not.toBe(src.UnpodError);
    expectAccepted(src, throwsFrom(esm));
    expectAccepted(esm, throwsFrom(cjs));
  });
});

describe("a copy in another realm (node:vm context)", () => {
  let realm: Core;
  beforeAll(async () => {
    const code = await bundleIife("src/index.ts");
    const context: Record<string, unknown> = {};
    runInNewContext(`${code};globalThis.core = UnpodCore;`, context);
    realm = context.core as Core;
  });

  it("its errors are not even `instanceof Error` here, yet the guards accept them", () => {
    const errors = throwsFrom(realm);
    expect(errors[0] instanceof Error).toBe(false);
    expectAccepted(src, errors);
  });
});
