/** Version of `@unpod/node`, sent as `X-Unpod-SDK: node/<version>` (a test keeps it equal to package.json). */
export const SDK_VERSION = "0.1.0";
