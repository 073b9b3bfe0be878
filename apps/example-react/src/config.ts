/** Where the page finds its backend and the real-time server. */
export interface DemoConfig {
  /** The example backend (token endpoint, drop proxy). */
  readonly backendUrl: string;
  /** The real-time server, as the backend reports it. */
  readonly serverUrl: string;
  /** Whether the backend can drop sockets (the dev server runs with faults on). */
  readonly devTools: boolean;
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { cache: "no-store" });
  if (!res.ok) throw new TypeError(`${url} answered ${res.status}`);
  return (await res.json()) as T;
}

/**
 * Asks the server that served the page where the backend is (`/demo-config.json`), then asks
 * the backend where the real-time server is. Nothing is baked into the build.
 */
export async function loadConfig(): Promise<DemoConfig> {
  const { backendUrl } = await getJson<{ backendUrl: string }>("/demo-config.json");
  const { serverUrl, devTools } = await getJson<{ serverUrl: string; devTools: boolean }>(
    `${backendUrl}/api/config`,
  );
  return { backendUrl, serverUrl, devTools };
}
