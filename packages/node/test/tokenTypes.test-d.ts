// Type-level tests, checked by `pnpm typecheck` (tsc over test/): each @ts-expect-error
// must be an error, everything else must compile.
import { AccessToken, type RoomGrant, type SipGrant } from "../src/index.js";

declare const maybeIdentity: string | undefined;
declare const identity: string;

// A join grant needs a room…
new AccessToken({ identity: "a" }).addGrant({ roomJoin: true, room: "r" });
// @ts-expect-error — roomJoin: true without room
new AccessToken({ identity: "a" }).addGrant({ roomJoin: true });

// …and a token whose identity is a string.
new AccessToken({ identity }).addGrant({ roomJoin: true, room: "r", canPublish: true });
// @ts-expect-error — no identity at all
new AccessToken({}).addGrant({ roomJoin: true, room: "r" });
// @ts-expect-error — no options
new AccessToken().addGrant({ roomJoin: true, room: "r" });
// @ts-expect-error — identity may be undefined
new AccessToken({ identity: maybeIdentity }).addGrant({ roomJoin: true, room: "r" });

// Grants that do not join need no identity.
new AccessToken().addGrant({ roomList: true, roomCreate: true, roomAdmin: true, room: "r" });
new AccessToken({ identity: maybeIdentity }).addGrant({ roomJoin: false, canSubscribe: true });

// Chaining keeps the identity type.
new AccessToken({ identity: "a" })
  .addSipGrant({ call: true })
  .addGrant({ roomJoin: true, room: "r" })
  .addGrant({ canPublishSources: ["camera", "microphone"] });

// @ts-expect-error — unknown grant field
new AccessToken({ identity: "a" }).addGrant({ roomAdmn: true });
// @ts-expect-error — unknown track source
new AccessToken({ identity: "a" }).addGrant({ canPublishSources: ["webcam"] });
// @ts-expect-error — unknown SIP field
new AccessToken().addSipGrant({ dial: true } satisfies SipGrant);
// @ts-expect-error — ttl is seconds or a string
new AccessToken({ ttl: new Date() });

// toJwt is a Promise<string>.
export const jwt: Promise<string> = new AccessToken().toJwt();
export const grant: RoomGrant = { roomJoin: true, room: "r" };
// @ts-expect-error — a RoomGrant with roomJoin: true must name the room
export const badGrant: RoomGrant = { roomJoin: true };

// A grant built at run time (typed VideoGrant, not a literal) goes through addGrantChecked,
// which checks at run time what addGrant's types check at compile time.
declare const runtimeGrant: import("../src/index.js").VideoGrant;
// @ts-expect-error — addGrant wants a grant whose join-ness the types can see
new AccessToken({ identity: maybeIdentity }).addGrant(runtimeGrant);
new AccessToken({ identity: maybeIdentity }).addGrantChecked(runtimeGrant);

// LiveKit's spelling, and the deprecated one.
new AccessToken({ identity: "a" })
  .addSIPGrant({ call: true })
  .addGrant({ roomJoin: true, room: "r" });
new AccessToken().addSipGrant({ admin: true });

// kind: LiveKit's participant kinds only; roomConfig: LiveKit's fields only.
new AccessToken({ kind: "agent", roomConfig: { emptyTimeout: 60, agents: [{ agentName: "a" }] } });
// @ts-expect-error — not a participant kind
new AccessToken({ kind: "robot" });
// @ts-expect-error — not a RoomConfiguration field
new AccessToken({ roomConfig: { emptyTimout: 60 } });
// @ts-expect-error — a timeout is a number of seconds
new AccessToken({ roomConfig: { emptyTimeout: "60s" } });
