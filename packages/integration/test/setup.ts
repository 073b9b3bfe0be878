// Runs in every test file: after the file, no recorded error, client or log line (the
// client's or the dev server's) may contain any API token the file used.
import { afterAll, expect } from "vitest";
import { recorded, renderings, secrets } from "./support.js";

afterAll(() => {
  const texts = [
    ...recorded.errors.flatMap(renderings),
    ...recorded.objects.flatMap(renderings),
    ...recorded.lines,
  ];
  for (const text of texts) {
    for (const token of secrets) {
      if (text.includes(token) || text.includes(token.slice(0, 16))) {
        expect.fail(`a token leaked into: ${text.replaceAll(token, "<TOKEN>").slice(0, 300)}`);
      }
    }
  }
});
