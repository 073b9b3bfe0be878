/** An organization the API token's user belongs to (`GET organizations/`). */
export interface Organization {
  /** Display name. */
  name: string;
  /** The organization's identifier. */
  token: string;
  /** The organization's domain. */
  domain: string;
  /** The value to send as `Org-Handle` (the client's `orgHandle` option). */
  domain_handle: string;
  /** Whether the organization uses a private domain. */
  is_private_domain: boolean;
  /** The user's role in the organization, e.g. `owner`. */
  role: string;
}
