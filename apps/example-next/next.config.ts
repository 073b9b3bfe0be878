import type { NextConfig } from "next";

const config: NextConfig = {
  poweredByHeader: false,
  // @unpod/node signs tokens with node:crypto; keep it (and the secret it reads) on the server,
  // loaded from node_modules instead of bundled.
  serverExternalPackages: ["@unpod/node"],
};

export default config;
