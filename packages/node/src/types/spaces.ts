import type { OpenString } from "./common.js";

/** A space (`GET spaces/`, `GET spaces/{space_token}/`). */
export interface Space {
  /** Display name. */
  name: string;
  /** URL-friendly name. */
  slug: string;
  /** The space token: the identifier used in space paths. */
  token: string;
  /** Free text. */
  description: string | null;
  /** Who can see it, e.g. `private`, `shared`, `public`. */
  privacy_type: OpenString<"private" | "shared" | "public">;
  /** What the space is for, e.g. `general`, `contact`. */
  space_type: string;
  /** Kind of content, e.g. `contact`, `general`. */
  content_type: string;
  /** The organization the space belongs to. */
  organization: SpaceOrganization;
}

/** The organization of a {@link Space}. */
export interface SpaceOrganization {
  /** Display name. */
  name: string;
  /** The organization's `Org-Handle` value. */
  domain_handle: string;
}
