// Node's util.inspect (console.log, uncaught errors) prints an error's own fields and stack:
// none of them may carry a credential.
import { inspect } from "node:util";
import { expect, it } from "vitest";
import { errorFromResponse, UnpodApiError, UnpodError } from "../src/index.js";
import { API_TOKEN, CLAIMS, jwt } from "./helpers.js";

it("util.inspect of our errors shows no API token or JWT", () => {
  const token = jwt(CLAIMS);
  const errors = [
    new UnpodError("unauthorized", `Authorization: Token ${API_TOKEN}`),
    new UnpodApiError("forbidden", `Bearer ${token}`, {
      status: 403,
      request: { method: "GET", url: `https://h/v1/rtc/validate?access_token=${token}` },
      body: `{"access_token":"${token}"}`,
    }),
    errorFromResponse({
      status: 502,
      body: `<html>Token ${API_TOKEN}</html>`,
      request: { method: "GET", url: `https://h/?token=${API_TOKEN}` },
    }),
  ];
  for (const e of errors) {
    const text = inspect(e, { depth: 5, showHidden: true });
    expect(text).not.toContain(API_TOKEN);
    expect(text).not.toContain(token);
    expect(text).toContain("redacted");
  }
});
