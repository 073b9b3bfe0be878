import { describe, expect, it } from "vitest";
import { isLoopbackHost } from "../src/internal/index.js";

describe("isLoopbackHost: literal loopback addresses and `localhost` only", () => {
  it.each([
    "localhost",
    "LOCALHOST",
    "127.0.0.1",
    "127.1.2.3",
    "127.255.255.255",
    "::1",
    "[::1]",
    "0:0:0:0:0:0:0:1",
    "[0:0:0:0:0:0:0:1]",
    "0000:0000:0000:0000:0000:0000:0000:0001",
    "::ffff:127.0.0.1",
    "[::ffff:7f00:1]",
  ])("%s is loopback", (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each([
    "evil.localhost",
    "api.localhost",
    "localhost.",
    "localhost.evil.example",
    "127.0.0.1.nip.io",
    "128.0.0.1",
    "127.0.0.256",
    "127.1",
    "0.0.0.0",
    "::",
    "::2",
    "1::1",
    "::ffff:10.0.0.1",
    "10.0.0.1",
    "example.com",
    "",
    "[::1",
    "1:2:3:4:5:6:7:8:9",
    "::1::",
  ])("%s is not", (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });

  it("agrees with the URL parser's normal form of a hostname", () => {
    for (const url of ["http://127.1/", "http://0x7f.1/", "http://[0:0::1]/", "http://LocalHost/"])
      expect(isLoopbackHost(new URL(url).hostname)).toBe(true);
    expect(isLoopbackHost(new URL("http://evil.localhost/").hostname)).toBe(false);
  });
});
