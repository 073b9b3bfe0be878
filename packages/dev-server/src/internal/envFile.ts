// The dotenv file of `unpod-dev-server --dotenv`: read with Node's own parser (the one
// behind `node --dotenv`), created once with the credentials of the run, never rewritten.

import { readFileSync, writeFileSync } from "node:fs";
import { parseEnv } from "node:util";
import { invalidArgument } from "@unpod/core/internal";

/** Largest env file read; a bigger one is not a dotenv file. */
export const MAX_ENV_FILE_BYTES = 1024 * 1024;

const OPTION = "--dotenv";

const problem = (message: string, cause?: unknown) => invalidArgument(OPTION, message, { cause });

/**
 * Reads a dotenv file with Node's parser.
 *
 * @returns Its variables, or `undefined` when the file does not exist.
 * @throws `UnpodArgumentError` (option `--dotenv`) when it cannot be read or is too large.
 */
export function readEnvFile(path: string): Record<string, string> | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw problem(`cannot read ${path}: ${(error as Error).message}`, error);
  }
  if (Buffer.byteLength(text) > MAX_ENV_FILE_BYTES) {
    throw problem(`${path} is larger than ${MAX_ENV_FILE_BYTES} bytes`);
  }
  const vars: Record<string, string> = {};
  for (const [name, value] of Object.entries(parseEnv(text))) {
    if (value !== undefined) vars[name] = value;
  }
  return vars;
}

const PLAIN = /^[\w.:/@+=,-]*$/;

/** A value as dotenv writes it, so that Node's parser reads back exactly the same string. */
function dotenvValue(name: string, value: string): string {
  if (PLAIN.test(value)) return value;
  if (!value.includes("'") && !value.includes("\n")) return `'${value}'`;
  if (!value.includes('"') && !value.includes("\\")) return `"${value}"`;
  throw problem(`${name} holds characters an env file cannot keep`);
}

/**
 * Creates a dotenv file readable only by its owner (mode 0600). Never overwrites: an
 * existing file is an error (so a race cannot clobber one either).
 *
 * @param comment - Lines written first, each as a `#` comment.
 * @throws `UnpodArgumentError` (option `--dotenv`) when the file exists or cannot be written.
 */
export function createEnvFile(
  path: string,
  vars: Readonly<Record<string, string>>,
  comment: readonly string[],
): void {
  const lines = [
    ...comment.map((line) => `# ${line}`),
    ...Object.entries(vars).map(([name, value]) => `${name}=${dotenvValue(name, value)}`),
  ];
  try {
    writeFileSync(path, `${lines.join("\n")}\n`, { flag: "wx", mode: 0o600 });
  } catch (error) {
    throw problem(`cannot create ${path}: ${(error as Error).message}`, error);
  }
}
