import { describe, expect, it } from "vitest";
import {
  type BuildHeadersOptions,
  buildHeaders,
  HEADERS,
  type HttpMethod,
  UnpodArgumentError,
} from "../src/index.js";
import { API_TOKEN, thrown } from "./helpers.js";

const base: BuildHeadersOptions = { apiToken: API_TOKEN, method: "GET" };

describe("buildHeaders", () => {
  it("builds every header the platform reads, with its own spelling", () => {
    const h = buildHeaders({
      apiToken: API_TOKEN,
      orgHandle: "acme",
      productId: "prod-1",
      method: "POST",
      requestId: "req-1",
      idempotencyKey: "idem-1",
      sdk: "node/0.1.0",
    });
    expect(h).toEqual({
      Authorization: `Token ${API_TOKEN}`,
      Accept: "application/json",
      "Org-Handle": "acme",
      "Product-ID": "prod-1",
      "Content-Type": "application/json",
      "X-Request-Id": "req-1",
      "Idempotency-Key": "idem-1",
      "X-Unpod-SDK": "node/0.1.0",
    });
    // What fetch would send: the runtime's own Headers accepts every value.
    expect(new Headers(h).get("authorization")).toBe(`Token ${API_TOKEN}`);
  });

  it("leaves out optional headers that were not given", () => {
    expect(Object.keys(buildHeaders(base)).sort()).toEqual(
      [HEADERS.authorization, "Accept"].sort(),
    );
  });

  it.each<[HttpMethod, boolean]>([
    ["GET", false],
    ["HEAD", false],
    ["DELETE", false],
    ["POST", true],
    ["PUT", true],
    ["PATCH", true],
  ])("%s carries Content-Type: %s", (method, has) => {
    const h = buildHeaders({ ...base, method });
    expect(h[HEADERS.contentType]).toBe(has ? "application/json" : undefined);
  });

  it("refuses an unknown method, naming the option", () => {
    const e = thrown(() => buildHeaders({ ...base, method: "TRACE" as HttpMethod }));
    expect(e).toBeInstanceOf(UnpodArgumentError);
    expect(e.option).toBe("method");
  });

  it.each([[""], [undefined], [null], [42]])("refuses an empty or missing token (%j)", (token) => {
    const e = thrown(() => buildHeaders({ ...base, apiToken: token as string }));
    expect(e.code).toBe("invalid_argument");
    expect(e.option).toBe("apiToken");
    expect(e.message).toContain("apiToken");
  });

  it("refuses a token with a space (it would not be one credential)", () => {
    expect(thrown(() => buildHeaders({ ...base, apiToken: "abc def" })).option).toBe("apiToken");
  });

  const fields = [
    "apiToken",
    "orgHandle",
    "productId",
    "requestId",
    "idempotencyKey",
    "sdk",
  ] as const;
  const injections = [
    ["CRLF header injection", "acme\r\nX-Evil: 1"],
    ["LF", "acme\nx"],
    ["CR", "acme\rx"],
    ["NUL", "acme\u0000x"],
    ["other control character", "acme\u0007x"],
    ["DEL", "acme\u007fx"],
    ["tab", "acme\tx"],
    ["non-ASCII", "acmé"],
    ["emoji", "acme😀"],
    ["line separator", "acme\u2028x"],
    ["leading space", " acme"],
    ["trailing space", "acme "],
    ["too long", "a".repeat(4097)],
  ];
  for (const field of fields) {
    it.each(injections)(`refuses ${field} with %s, naming ${field}`, (_, bad) => {
      const e = thrown(() => buildHeaders({ ...base, [field]: bad }));
      expect(e).toBeInstanceOf(UnpodArgumentError);
      expect(e.code).toBe("invalid_argument");
      expect(e.option).toBe(field);
      expect(e.message.startsWith(`${field}:`)).toBe(true);
      // The offending value is never echoed (it may be a credential).
      expect(e.message).not.toContain(bad);
    });
    if (field !== "apiToken") {
      it(`refuses an empty ${field} that was given`, () => {
        expect(thrown(() => buildHeaders({ ...base, [field]: "" })).option).toBe(field);
      });
    }
  }

  it("accepts inner spaces and all visible ASCII in non-token headers", () => {
    const value = "a b!#$%&'*+-.^_`|~:/?=@[](){}<>,;\\\"z";
    expect(buildHeaders({ ...base, orgHandle: value })[HEADERS.orgHandle]).toBe(value);
  });

  it.each([
    ["orgHandle", "Org-Handle"],
    ["productId", "Product-ID"],
  ] as const)(
    "a required %s that is missing is missing_header, before any request",
    (option, header) => {
      for (const value of [undefined, ""]) {
        const e = thrown(() => buildHeaders({ ...base, [option]: value, require: [option] }));
        expect(e).toBeInstanceOf(UnpodArgumentError);
        expect(e.code).toBe("missing_header");
        expect(e.option).toBe(option);
        expect(e.message).toContain(header);
      }
    },
  );

  it("passes when every required header is present", () => {
    const h = buildHeaders({
      ...base,
      orgHandle: "acme",
      productId: "p",
      require: ["orgHandle", "productId"],
    });
    expect(h[HEADERS.orgHandle]).toBe("acme");
    expect(h[HEADERS.productId]).toBe("p");
  });

  it("a required header that is present but malformed is invalid_argument, not missing", () => {
    const e = thrown(() => buildHeaders({ ...base, orgHandle: "a\nb", require: ["orgHandle"] }));
    expect(e.code).toBe("invalid_argument");
    expect(e.option).toBe("orgHandle");
  });
});
