// Type-level tests of what calls return (checked by `pnpm typecheck`): an ApiPromise is a
// Promise of the data, with withResponse(); lists give pages with their request id.
import {
  type ApiPromise,
  type ApiResponse,
  type Page,
  type ResponseHeaders,
  type Space,
  UnpodClient,
} from "../src/index.js";

const client = new UnpodClient({ apiToken: "t" });

// Still a Promise of the data: code written against Promise<Space> keeps compiling.
export const space: Promise<Space> = client.spaces.retrieve("s");
export const call: ApiPromise<Space> = client.spaces.retrieve("s");
export const deleted: Promise<void> = client.telephony.bridges.delete("b");

// withResponse(): the data with the request id, status and headers.
export const answer: Promise<ApiResponse<Space>> = client.spaces.retrieve("s").withResponse();
export async function fields(): Promise<[string, number, ResponseHeaders, string]> {
  const { data, requestId, status, headers } = await client.spaces.retrieve("s").withResponse();
  return [requestId, status, headers, data.name];
}
export const readOnly = async () => {
  // @ts-expect-error — headers are read-only
  (await call.withResponse()).headers.x = "y";
};

// Lists: withResponse() gives the first page; every page has its request id.
export const firstPage: Promise<ApiResponse<Page<Space>>> = client.spaces.list().withResponse();
export async function pageId(): Promise<string | undefined> {
  return (await client.spaces.list()).requestId;
}

// The escape hatch is an ApiPromise too.
export const raw: ApiPromise<{ n: number }> = client.request<{ n: number }>("GET", "x/");

// allowInsecure is the option; allowInsecureHttp still compiles (deprecated).
new UnpodClient({ apiToken: "t", allowInsecure: true });
new UnpodClient({ apiToken: "t", allowInsecureHttp: true });

// `.catch` and `then`'s rejection handler accept an annotated error, as on any Promise.
export const code: Promise<string> = client.spaces
  .retrieve("s")
  .then((s) => s.name)
  .catch((e: { code: string }) => e.code);
export const caught: Promise<Space | string> = client.spaces
  .retrieve("s")
  .catch((e: Error) => e.message);
export const pageCaught: Promise<Page<Space> | string> = client.spaces
  .list()
  .catch((e: Error) => e.message);
