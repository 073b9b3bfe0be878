import type { Context } from "hono";
import { randomAlnum } from "../internal/random.js";
import type { BridgeNumberRecord, BridgeRecord, ProviderConfigurationRecord } from "../store.js";
import {
  asObject,
  type FieldErrors,
  hasErrors,
  intField,
  readJson,
  readObject,
  stringField,
} from "./body.js";
import { fail, noContent, ok } from "./envelope.js";
import { param, productId, requireOrgHandle } from "./headers.js";
import { pagedList } from "./paging.js";
import type { RestDeps, RouteDef } from "./types.js";

const NOT_FOUND = "Not found.";
const PRODUCT_ID_REQUIRED = "Please provide Product-Id in headers";
const INVALID_INPUT = "Invalid input.";
const BRIDGE_CREATE_FAILED = "Failed to create bridge.";

function providerDetails(deps: RestDeps, id: number) {
  const p = deps.store.provider(id);
  return p ? { id: p.id, name: p.name, description: p.description, icon: p.icon } : null;
}

function configJson(deps: RestDeps, p: ProviderConfigurationRecord) {
  return {
    id: p.id,
    name: p.name,
    provider: p.provider,
    provider_details: providerDetails(deps, p.provider),
    org_handle: p._org,
    meta_json: p.meta_json,
    active: p.active,
    api_key: p.api_key,
    api_secret: p.api_secret,
    base_url: p.base_url,
    sip_url: p.sip_url,
  };
}

function bridgeNumberJson(deps: RestDeps, org: string, bn: BridgeNumberRecord) {
  const config =
    bn.provider_configuration_id === null
      ? undefined
      : deps.store.providerConfiguration(org, bn.provider_configuration_id);
  const { active: _a, ...providerConfiguration } = config
    ? configJson(deps, config)
    : { active: undefined };
  return {
    id: bn.id,
    number_id: bn.number_id,
    number: deps.store.number(bn.number_id)?.number ?? null,
    channels_count: bn.channels_count,
    provider_details: config
      ? { id: config.provider, name: providerDetails(deps, config.provider)?.name ?? "" }
      : null,
    provider_configuration: config ? providerConfiguration : null,
    agent_id: bn.agent_id,
    config_json: bn.config_json,
  };
}

function bridgeJson(deps: RestDeps, b: BridgeRecord) {
  return {
    id: b.id,
    name: b.name,
    description: b.description,
    status: b.status,
    documents_status: b.documents_status,
    slug: b.slug,
    numbers: b.numbers.map((bn) => bridgeNumberJson(deps, b._org, bn)),
    org_handle: b._org,
    region: b.region,
  };
}

function bridgeListJson(b: BridgeRecord) {
  return { id: b.id, name: b.name, slug: b.slug, status: b.status, description: b.description };
}

function slugify(name: string): string {
  const base = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
  return `${base || "bridge"}-${randomAlnum(6).toLowerCase()}`;
}

const BRIDGE_STATUSES = new Set(["ACTIVE", "INACTIVE"]);

function validateBridge(body: Record<string, unknown>, partial: boolean) {
  const errors: FieldErrors = {};
  const name = stringField(body, "name", errors, { required: !partial, max: 255 });
  const description = stringField(body, "description", errors, { allowBlank: true, max: 2000 });
  const region = stringField(body, "region", errors, { allowBlank: true, max: 50 });
  const status = stringField(body, "status", errors, { max: 20 });
  if (status !== undefined && !BRIDGE_STATUSES.has(status)) {
    errors.status = [`"${status}" is not a valid choice.`];
  }
  let numberIds: number[] | undefined;
  if (body.numberIds !== undefined && body.numberIds !== null) {
    if (!Array.isArray(body.numberIds) || !body.numberIds.every((n) => Number.isSafeInteger(n))) {
      return { message: "NumberIds must be a list of integers.", errors };
    }
    numberIds = body.numberIds as number[];
  }
  return { errors, name, description, region, status, numberIds };
}

function attachNumbers(deps: RestDeps, bridge: BridgeRecord, ids: number[]): void {
  for (const id of ids) {
    const n = deps.store.number(id);
    if (!n?.active || n._state !== "NOT_ASSIGNED" || (n._org !== null && n._org !== bridge._org)) {
      continue;
    }
    n._state = "ASSIGNED";
    bridge.numbers.push({
      id: deps.store.nextId("bridgeNumber"),
      number_id: id,
      channels_count: 1,
      provider_configuration_id: null,
      agent_id: null,
      config_json: {},
    });
  }
}

/** Bridge lookup by `:slug` inside the caller's organization. */
function findBridge(c: Context, deps: RestDeps): BridgeRecord | Response {
  const handle = requireOrgHandle(c);
  if (typeof handle !== "string") return handle;
  return deps.store.bridge(handle, param(c, "slug")) ?? fail(404, NOT_FOUND);
}

/** Provider configuration lookup by `:id` inside the caller's organization. */
function findProviderConfiguration(
  c: Context,
  deps: RestDeps,
): ProviderConfigurationRecord | Response {
  const handle = requireOrgHandle(c);
  if (typeof handle !== "string") return handle;
  return deps.store.providerConfiguration(handle, Number(param(c, "id"))) ?? fail(404, NOT_FOUND);
}

const PROVIDER_CONFIG_FIELDS = ["api_key", "api_secret", "base_url", "sip_url"] as const;

function validateProviderConfiguration(
  deps: RestDeps,
  body: Record<string, unknown>,
  partial: boolean,
) {
  const errors: FieldErrors = {};
  const name = stringField(body, "name", errors, { required: !partial, max: 255 });
  let provider: number | undefined;
  if (!partial) {
    provider = intField(body, "provider", errors, { required: true });
    if (provider !== undefined && !deps.store.provider(provider)) {
      errors.provider = [`Invalid pk "${provider}" - object does not exist.`];
    }
  }
  const values: Partial<Record<(typeof PROVIDER_CONFIG_FIELDS)[number], string>> = {};
  for (const f of PROVIDER_CONFIG_FIELDS) {
    const v = stringField(body, f, errors, { allowBlank: true, max: 2000 });
    if (v !== undefined) values[f] = v;
  }
  if (body.active !== undefined && typeof body.active !== "boolean")
    errors.active = ["Must be a valid boolean."];
  return { errors, name, provider, values };
}

/** Numbers, providers, provider configurations and voice bridges. */
export function telephonyRoutes(): RouteDef[] {
  return [
    {
      path: "/telephony/numbers/",
      methods: {
        GET: (c, deps) => {
          const handle = requireOrgHandle(c);
          if (typeof handle !== "string") return handle;
          // As the platform: active, unassigned numbers of the organization or the shared pool.
          const numbers = deps.store.data.numbers
            .filter(
              (n) =>
                n.active && n._state === "NOT_ASSIGNED" && (n._org === handle || n._org === null),
            )
            .map((n) => ({ id: n.id, number: n.number, active: n.active }));
          return ok(numbers, { message: "Telephony numbers fetched successfully." });
        },
      },
    },
    {
      path: "/telephony/providers/",
      methods: {
        GET: (_c, deps) =>
          ok(
            deps.store.data.providers.map((p) => ({ ...p })),
            {
              message: "Voice infra providers fetched successfully.",
            },
          ),
      },
    },
    {
      path: "/telephony/provider-configurations/",
      methods: {
        GET: (c, deps) => {
          const handle = requireOrgHandle(c);
          if (typeof handle !== "string") return handle;
          const configs = deps.store.data.providerConfigurations.filter((p) => p._org === handle);
          return pagedList(c, configs, (p) => configJson(deps, p));
        },
        POST: async (c, deps) => {
          const handle = requireOrgHandle(c);
          if (typeof handle !== "string") return handle;
          const body = await readObject(c, deps.maxBodySize, INVALID_INPUT);
          if (body instanceof Response) return body;
          const v = validateProviderConfiguration(deps, body, false);
          if (hasErrors(v.errors)) return fail(400, INVALID_INPUT, { errors: v.errors });
          const config: ProviderConfigurationRecord = {
            id: deps.store.nextId("providerConfiguration"),
            name: v.name as string,
            provider: v.provider as number,
            meta_json:
              body.meta_json !== null && typeof body.meta_json === "object" ? body.meta_json : {},
            active: typeof body.active === "boolean" ? body.active : true,
            api_key: v.values.api_key ?? null,
            api_secret: v.values.api_secret ?? null,
            base_url: v.values.base_url ?? null,
            sip_url: v.values.sip_url ?? null,
            _org: handle,
          };
          deps.store.data.providerConfigurations.push(config);
          return ok(configJson(deps, config), { status: 201 });
        },
      },
    },
    {
      path: "/telephony/provider-configurations/:id{[0-9]+}/",
      methods: {
        GET: (c, deps) => {
          const config = findProviderConfiguration(c, deps);
          if (config instanceof Response) return config;
          return ok(configJson(deps, config));
        },
        PATCH: async (c, deps) => {
          const config = findProviderConfiguration(c, deps);
          if (config instanceof Response) return config;
          const body = await readObject(c, deps.maxBodySize, INVALID_INPUT);
          if (body instanceof Response) return body;
          const v = validateProviderConfiguration(deps, body, true);
          if (hasErrors(v.errors)) return fail(400, INVALID_INPUT, { errors: v.errors });
          if (v.name !== undefined) config.name = v.name;
          for (const f of PROVIDER_CONFIG_FIELDS)
            if (v.values[f] !== undefined) config[f] = v.values[f];
          if (typeof body.active === "boolean") config.active = body.active;
          if (body.meta_json !== undefined) config.meta_json = body.meta_json;
          return ok(configJson(deps, config));
        },
        DELETE: (c, deps) => {
          const config = findProviderConfiguration(c, deps);
          if (config instanceof Response) return config;
          deps.store.deleteProviderConfiguration(config);
          return noContent();
        },
      },
    },
    {
      path: "/telephony/bridges/",
      methods: {
        GET: (c, deps) => {
          const product = productId(c);
          if (!product) return fail(206, PRODUCT_ID_REQUIRED);
          const handle = c.req.header("org-handle")?.trim();
          if (!handle) return fail(206, "Please provide Org-Handle in headers");
          if (!deps.store.organization(handle)) return fail(206, "Organization not found");
          const search = c.req.query("search")?.toLowerCase();
          const bridges = deps.store.data.bridges.filter(
            (b) =>
              b._org === handle &&
              b._product === product &&
              (!search ||
                b.name.toLowerCase().includes(search) ||
                b.description.toLowerCase().includes(search)),
          );
          return pagedList(c, bridges, bridgeListJson);
        },
        POST: async (c, deps) => {
          const product = productId(c);
          if (!product) return fail(206, PRODUCT_ID_REQUIRED);
          const handle = c.req.header("org-handle")?.trim();
          if (!handle) return fail(400, "Missing 'Org-Handle' header.");
          const body = await readObject(c, deps.maxBodySize, BRIDGE_CREATE_FAILED);
          if (body instanceof Response) return body;
          const v = validateBridge(body, false);
          if ("message" in v) return fail(400, v.message as string);
          if (hasErrors(v.errors)) return fail(400, BRIDGE_CREATE_FAILED, { errors: v.errors });
          if (!deps.store.organization(handle))
            return fail(206, `No organization found for domain: ${handle}`);
          const bridge: BridgeRecord = {
            id: deps.store.nextId("bridge"),
            name: v.name as string,
            slug: slugify(v.name as string),
            status: v.status ?? "ACTIVE",
            description: v.description ?? "",
            documents_status: "pending",
            region: v.region ?? "",
            numbers: [],
            _org: handle,
            _product: product,
          };
          attachNumbers(deps, bridge, v.numberIds ?? []);
          deps.store.data.bridges.push(bridge);
          return ok(bridgeJson(deps, bridge), {
            status: 201,
            message: "Bridge created successfully.",
          });
        },
      },
    },
    {
      path: "/telephony/bridges/:slug/",
      methods: {
        GET: (c, deps) => {
          const bridge = findBridge(c, deps);
          if (bridge instanceof Response) return bridge;
          return ok(bridgeJson(deps, bridge));
        },
        PATCH: async (c, deps) => {
          const bridge = findBridge(c, deps);
          if (bridge instanceof Response) return bridge;
          const body = await readObject(c, deps.maxBodySize, INVALID_INPUT);
          if (body instanceof Response) return body;
          const v = validateBridge(body, true);
          if ("message" in v) return fail(400, v.message as string);
          if (hasErrors(v.errors)) return fail(400, INVALID_INPUT, { errors: v.errors });
          if (v.name !== undefined) bridge.name = v.name;
          if (v.description !== undefined) bridge.description = v.description;
          if (v.region !== undefined) bridge.region = v.region;
          if (v.status !== undefined) bridge.status = v.status;
          if (v.numberIds !== undefined) {
            const keep = new Set(v.numberIds);
            for (const bn of bridge.numbers.filter((x) => !keep.has(x.number_id))) {
              const n = deps.store.number(bn.number_id);
              if (n) n._state = "NOT_ASSIGNED";
            }
            bridge.numbers = bridge.numbers.filter((x) => keep.has(x.number_id));
            const have = new Set(bridge.numbers.map((x) => x.number_id));
            attachNumbers(
              deps,
              bridge,
              v.numberIds.filter((id) => !have.has(id)),
            );
          }
          return ok(bridgeJson(deps, bridge), { message: "Bridge updated successfully." });
        },
        DELETE: (c, deps) => {
          const bridge = findBridge(c, deps);
          if (bridge instanceof Response) return bridge;
          deps.store.deleteBridge(bridge);
          return noContent();
        },
      },
    },
    {
      path: "/telephony/bridges/:slug/connect-provider/",
      methods: {
        POST: async (c, deps) => {
          const bridge = findBridge(c, deps);
          if (bridge instanceof Response) return bridge;
          const read = await readJson(c, deps.maxBodySize);
          if (read instanceof Response) return read;
          const body = asObject(read.body) ?? {};
          const errors: FieldErrors = {};
          const numberId = intField(body, "number_id", errors);
          const configId =
            intField(body, "provider_credential_id", errors) ??
            intField(body, "provider_configuration_id", errors);
          if (numberId === undefined) return fail(400, "Number is required", { errors });
          if (configId === undefined) return fail(400, "Provider is required", { errors });
          const number = deps.store.number(numberId);
          if (number?._state !== "ASSIGNED") {
            return fail(206, "Number is not assigned or does not exist.");
          }
          const bn = bridge.numbers.find((x) => x.number_id === numberId);
          if (!bn) return fail(400, "Provided number is already assigned to another bridge.");
          if (!deps.store.providerConfiguration(bridge._org, configId)) {
            return fail(206, "Provider configuration not found.");
          }
          bn.provider_configuration_id = configId;
          return ok(bridgeNumberJson(deps, bridge._org, bn), {
            status: 201,
            message: "Number linked with provider successfully.",
          });
        },
      },
    },
    {
      path: "/telephony/bridges/:slug/disconnect-provider/",
      methods: {
        POST: async (c, deps) => {
          const bridge = findBridge(c, deps);
          if (bridge instanceof Response) return bridge;
          const read = await readJson(c, deps.maxBodySize);
          if (read instanceof Response) return read;
          const body = asObject(read.body) ?? {};
          const errors: FieldErrors = {};
          const numberId = intField(body, "number_id", errors, { required: true });
          if (numberId === undefined) return fail(400, "Failed to unlink provider.", { errors });
          const number = deps.store.number(numberId);
          if (!number) return fail(404, "Number not found.");
          const bn = bridge.numbers.find((x) => x.number_id === numberId);
          if (!bn || bn.provider_configuration_id === null) {
            return fail(206, "No provider linked to this number.");
          }
          bn.provider_configuration_id = null;
          return ok(
            { id: number.id, number: number.number, active: number.active },
            { message: `Provider unlinked from number ${number.number}` },
          );
        },
      },
    },
  ];
}
