/**
 * A string enum the platform may extend: the known values autocomplete, any other string
 * is still accepted, so a new server value never breaks compilation.
 */
export type OpenString<Known extends string> = Known | (string & {});

/** An ISO 8601 timestamp as the platform sends it, e.g. `2025-01-31T12:00:00Z`. */
export type Timestamp = string;
