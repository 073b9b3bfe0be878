/**
 * The example backend of the Unpod demo: a Hono app with a token endpoint that mints
 * short-lived access tokens with `@unpod/node`. Private; read it as a pattern.
 *
 * @packageDocumentation
 */
export { type CreateAppOptions, createApp } from "./app.js";
export { type ExampleBackendConfig, readConfig } from "./config.js";
