import { connection } from "next/server";
import { Assistant } from "./Assistant";

/**
 * The page is a server component: it reads where the real-time server is at request time
 * (`UNPOD_SERVER_URL`, so one build runs against any server) and hands it to the client
 * component. Secrets are not read here: only the token route needs them.
 */
export default async function Home() {
  await connection(); // render per request, not at build time
  const serverUrl = process.env.UNPOD_SERVER_URL ?? "ws://127.0.0.1:7880";
  return (
    <main>
      <h1>Talk to the agent</h1>
      <Assistant serverUrl={serverUrl} />
    </main>
  );
}
