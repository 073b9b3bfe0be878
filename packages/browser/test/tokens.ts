/** An unsigned token with the given claims (the client never verifies signatures). */
export function fakeToken(claims: Record<string, unknown>): string {
  const b64 = (v: unknown) =>
    btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(v))))
      .replace(/=+$/, "")
      .replace(/\+/g, "-")
      .replace(/\//g, "_");
  return `${b64({ alg: "HS256", typ: "JWT" })}.${b64({
    iss: "APIkey",
    sub: "user-1",
    video: { room: "room-1", roomJoin: true },
    ...claims,
  })}.c2ln`;
}
