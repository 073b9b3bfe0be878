import type { OpenString } from "./common.js";

/** A phone number (`GET telephony/numbers/`: active numbers not yet on a bridge). */
export interface PhoneNumber {
  /** The number's identifier (`number_id` in bridge calls). */
  id: number;
  /** The number in E.164 form, e.g. `+14155550123`. */
  number: string;
  /** Whether it can take calls. */
  active: boolean;
}

/** A bridge as `GET telephony/bridges/` lists it. */
export interface BridgeSummary {
  /** Numeric id. */
  id: number;
  /** Display name. */
  name: string;
  /** The bridge's identifier in paths. */
  slug: string;
  /** `ACTIVE` or `INACTIVE`. */
  status: OpenString<"ACTIVE" | "INACTIVE">;
  /** Free text. */
  description: string;
}

/** A bridge with its numbers (`GET`, `POST`, `PATCH telephony/bridges/…`). */
export interface Bridge extends BridgeSummary {
  /** Processing state of the bridge's documents, e.g. `pending`. */
  documents_status: string;
  /** Region the bridge runs in. */
  region: string;
  /** The organization's `Org-Handle`. */
  org_handle: string;
  /** Numbers attached to the bridge. */
  numbers: BridgeNumber[];
}

/** A number attached to a bridge, and the provider it is routed through. */
export interface BridgeNumber {
  /** The attachment's id. */
  id: number;
  /** The number's id ({@link PhoneNumber.id}). */
  number_id: number;
  /** The number in E.164 form. */
  number: string | null;
  /** Concurrent calls allowed. */
  channels_count: number;
  /** The provider behind the number, once connected. */
  provider_details: ProviderRef | null;
  /** The provider configuration behind the number, once connected (secrets inside). */
  provider_configuration: Omit<ProviderConfiguration, "active"> | null;
  /** The agent answering, if one is set. */
  agent_id: number | null;
  /** Free-form settings. */
  config_json: Record<string, unknown>;
}

/** A short reference to a {@link Provider}. */
export interface ProviderRef {
  /** The provider's id. */
  id: number;
  /** Display name. */
  name: string;
}

/** Body of `POST telephony/bridges/`. */
export interface CreateBridgeParams {
  /** Display name. */
  name: string;
  /** Free text. */
  description?: string | undefined;
  /** Region, e.g. `IN` or `US`. */
  region?: string | undefined;
  /** `ACTIVE` (default) or `INACTIVE`. */
  status?: OpenString<"ACTIVE" | "INACTIVE"> | undefined;
  /** Ids of numbers to attach ({@link PhoneNumber.id}). */
  numberIds?: number[] | undefined;
}

/** Body of `PATCH telephony/bridges/{slug}/`: the fields to change. */
export interface UpdateBridgeParams {
  /** New display name. */
  name?: string | undefined;
  /** New description. */
  description?: string | undefined;
  /** New region. */
  region?: string | undefined;
  /** `ACTIVE` or `INACTIVE`. */
  status?: OpenString<"ACTIVE" | "INACTIVE"> | undefined;
  /** The complete list of attached numbers: others are detached. */
  numberIds?: number[] | undefined;
}

/**
 * Body of `POST telephony/bridges/{slug}/connect-provider/`: route one of the bridge's
 * numbers through a provider configuration.
 */
export interface ConnectProviderParams {
  /** The number's id; it must already be on the bridge. */
  number_id: number;
  /** The provider configuration's id (the platform also reads `provider_credential_id`). */
  provider_configuration_id: number;
}

/** Body of `POST telephony/bridges/{slug}/disconnect-provider/`. */
export interface DisconnectProviderParams {
  /** The number whose provider is detached. */
  number_id: number;
}

/** A voice-infrastructure provider (`GET telephony/providers/`). */
export interface Provider {
  /** The provider's id (`provider` of a configuration). */
  id: number;
  /** Display name, e.g. `Twilio`. */
  name: string;
  /** Free text. */
  description: string;
  /** Icon URL. */
  icon: string;
}

/**
 * Credentials of one provider account (`telephony/provider-configurations/`). They hold
 * secrets: the client never logs bodies, and you should not either.
 */
export interface ProviderConfiguration {
  /** The configuration's id. */
  id: number;
  /** Display name. */
  name: string;
  /** The provider's id. */
  provider: number;
  /** The provider, expanded. */
  provider_details: Provider | null;
  /** The organization's `Org-Handle`. */
  org_handle: string;
  /** Provider-specific settings. */
  meta_json: unknown;
  /** Whether it is in use. */
  active: boolean;
  /** The provider account's key. */
  api_key: string | null;
  /** The provider account's secret. */
  api_secret: string | null;
  /** The provider's API base URL. */
  base_url: string | null;
  /** SIP endpoint. */
  sip_url: string | null;
}

/** Body of `POST telephony/provider-configurations/`. */
export interface CreateProviderConfigurationParams {
  /** Display name. */
  name: string;
  /** The provider's id ({@link Provider.id}). */
  provider: number;
  /** The provider account's key. */
  api_key?: string | undefined;
  /** The provider account's secret. */
  api_secret?: string | undefined;
  /** The provider's API base URL. */
  base_url?: string | undefined;
  /** SIP endpoint. */
  sip_url?: string | undefined;
  /** Provider-specific settings. */
  meta_json?: Record<string, unknown> | undefined;
  /** Whether it is in use (default true). */
  active?: boolean | undefined;
}

/** Body of `PATCH telephony/provider-configurations/{id}/`: the fields to change. */
export type UpdateProviderConfigurationParams = Partial<
  Omit<CreateProviderConfigurationParams, "provider">
>;
