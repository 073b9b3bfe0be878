import "server-only";

/** The signed-in user, as your authentication knows them. */
export interface User {
  /** Stable id: becomes the token's identity (`sub`). */
  id: string;
  /** Display name. */
  name: string;
}

/**
 * ⚠️ DEVELOPMENT STUB — replace with your authentication (Auth.js, Clerk, your own session
 * cookie, …): read the session from the request's cookies and return its user, or `null`.
 *
 * It answers every request with the same demo user, so it refuses to run in a production
 * build unless `EXAMPLE_STUB_SESSION=1` says you know (the example's own test does).
 *
 * @returns The user, or `null` when nobody is signed in.
 */
export async function currentUser(): Promise<User | null> {
  if (process.env.NODE_ENV === "production" && process.env.EXAMPLE_STUB_SESSION !== "1") {
    return null;
  }
  return { id: "demo-user", name: "Demo User" };
}
