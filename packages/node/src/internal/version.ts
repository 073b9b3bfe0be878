/** Version of `@unpod/node` (test/cli.test.ts keeps it equal to package.json). */
export const PACKAGE_VERSION = "0.1.0";
