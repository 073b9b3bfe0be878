// `await using server = await startDevServer()` on Node 20: TypeScript's `await using`
// (lowered for Node 20 by the test transform) closes the server when the block ends,
// normally or by an exception.
import { expect, test } from "vitest";
import { startDevServer } from "../src/index.js";

const answers = async (url: string) =>
  fetch(url).then(
    () => true,
    () => false,
  );

test("the server is closed when the block ends", async () => {
  let url = "";
  {
    await using server = await startDevServer();
    url = server.url;
    expect(await answers(url)).toBe(true);
  }
  expect(await answers(url)).toBe(false);
});

test("…and when the block throws", async () => {
  let url = "";
  await expect(
    (async () => {
      await using server = await startDevServer();
      url = server.url;
      throw new Error("test failed");
    })(),
  ).rejects.toThrow("test failed");
  expect(url).not.toBe("");
  expect(await answers(url)).toBe(false);
});

test("disposing is close(): once, and after an explicit close() too", async () => {
  const server = await startDevServer();
  expect(typeof Symbol.asyncDispose).toBe("symbol");
  await server.close();
  await server[Symbol.asyncDispose]();
  expect(await answers(server.url)).toBe(false);
});
