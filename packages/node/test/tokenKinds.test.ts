// The claims LiveKit's layout declares beyond grants — `kind` and `roomConfig` — minted by
// AccessToken (checked field by field), and `addSIPGrant` spelled as LiveKit spells it.
import { decodeToken } from "@unpod/core";
import { AccessToken as LkAccessToken, TokenVerifier as LkTokenVerifier } from "livekit-server-sdk";
import { describe, expect, it } from "vitest";
import { AccessToken, type RoomConfiguration, TokenVerifier } from "../src/index.js";
import { NOW, SECRET1 } from "./tokenCorpus.js";

const base = { apiKey: "k1", apiSecret: SECRET1, currentDate: () => new Date(NOW * 1000) };

const CONFIG: RoomConfiguration = {
  name: "call-42",
  emptyTimeout: 300,
  departureTimeout: 20,
  maxParticipants: 2,
  metadata: '{"ticket":42}',
  minPlayoutDelay: 0,
  maxPlayoutDelay: 500,
  syncStreams: true,
  agents: [{ agentName: "support", metadata: "vip", attributes: { lang: "en" } }],
  tags: { team: "blue" },
  egress: { room: { roomName: "call-42" } },
};

describe("kind and roomConfig", () => {
  it("are minted after the grants, and read back by both verifiers", async () => {
    const token = new AccessToken({
      ...base,
      identity: "agent-7",
      kind: "agent",
      roomConfig: CONFIG,
    })
      .addGrant({ roomJoin: true, room: "call-42", agent: true })
      .addSIPGrant({ call: true });
    expect(token.kind).toBe("agent");
    expect(token.roomConfig).toEqual(CONFIG);
    const jwt = await token.toJwt();
    const { claims } = decodeToken(jwt);
    expect(Object.keys(claims)).toEqual([
      "iss",
      "sub",
      "nbf",
      "exp",
      "video",
      "sip",
      "kind",
      "roomConfig",
    ]);
    expect(claims).toMatchObject({ kind: "agent", roomConfig: CONFIG, sip: { call: true } });
    const ours = await new TokenVerifier({
      keys: { k1: SECRET1 },
      currentDate: base.currentDate,
    }).verify(jwt);
    expect(ours).toMatchObject({ kind: "agent", roomConfig: CONFIG });
    // LiveKit's verifier reads the real clock: the same token, minted now.
    const now = await new AccessToken({
      ...base,
      currentDate: undefined,
      kind: "agent",
      roomConfig: CONFIG,
    }).toJwt();
    const theirs = await new LkTokenVerifier("k1", SECRET1).verify(now);
    expect(theirs).toMatchObject({ kind: "agent", roomConfig: CONFIG });
  });

  it("give the claims livekit-server-sdk gives for the same token", async () => {
    const lk = new LkAccessToken("k1", SECRET1, { identity: "sip-1", ttl: 600 });
    lk.kind = "sip";
    // LiveKit takes a RoomConfiguration message; its JSON is what the claim carries.
    lk.roomConfig = { emptyTimeout: 60, agents: [{ agentName: "a" }] } as never;
    lk.addSIPGrant({ admin: true });
    const lkClaims = decodeToken(await lk.toJwt()).claims;
    const ours = decodeToken(
      await new AccessToken({
        ...base,
        identity: "sip-1",
        ttl: 600,
        kind: "sip",
        roomConfig: { emptyTimeout: 60, agents: [{ agentName: "a" }] },
      })
        .addSIPGrant({ admin: true })
        .toJwt(),
    ).claims;
    const { nbf: _n, exp: _e, ...sameTheirs } = lkClaims;
    const { nbf: _n2, exp: _e2, ...sameOurs } = ours;
    expect(sameOurs).toEqual(sameTheirs);
  });

  it.each([
    [{ kind: "robot" }, "kind"],
    [{ kind: "AGENT" }, "kind"],
    [{ kind: 4 }, "kind"],
    [{ roomConfig: "big" }, "roomConfig"],
    [{ roomConfig: { emptyTimout: 5 } }, "roomConfig.emptyTimout"],
    [{ roomConfig: { emptyTimeout: -1 } }, "roomConfig.emptyTimeout"],
    [{ roomConfig: { maxParticipants: 1.5 } }, "roomConfig.maxParticipants"],
    [{ roomConfig: { maxPlayoutDelay: 2 ** 32 } }, "roomConfig.maxPlayoutDelay"],
    [{ roomConfig: { syncStreams: "yes" } }, "roomConfig.syncStreams"],
    [{ roomConfig: { agents: {} } }, "roomConfig.agents"],
    [{ roomConfig: { agents: Array(33).fill({}) } }, "roomConfig.agents"],
    [{ roomConfig: { agents: [{ agent: "x" }] } }, "roomConfig.agents[0].agent"],
    [{ roomConfig: { agents: [{ attributes: { a: 1 } }] } }, "roomConfig.agents[0].attributes.a"],
    [{ roomConfig: { tags: { a: null } } }, "roomConfig.tags.a"],
    [{ roomConfig: { egress: [] } }, "roomConfig.egress"],
  ])("refuses %j, naming %s", (options, option) => {
    expect(() => new AccessToken({ ...base, ...(options as object) })).toThrow(
      expect.objectContaining({ name: "UnpodArgumentError", option }),
    );
  });

  it("copies what it keeps: a later change to the caller's object changes nothing", async () => {
    const config = { agents: [{ agentName: "a" }], tags: { t: "1" } };
    const token = new AccessToken({ ...base, identity: "x", roomConfig: config });
    config.tags.t = "2";
    (config.agents[0] as { agentName: string }).agentName = "b";
    expect(decodeToken(await token.toJwt()).claims.roomConfig).toEqual({
      agents: [{ agentName: "a" }],
      tags: { t: "1" },
    });
    const read = token.roomConfig as RoomConfiguration;
    (read.tags as Record<string, string>).t = "3";
    expect(token.roomConfig?.tags).toEqual({ t: "1" });
  });

  it("shows in toJSON (no secret there)", () => {
    const token = new AccessToken({ ...base, kind: "egress", roomConfig: { name: "r" } });
    expect(token.toJSON()).toMatchObject({ kind: "egress", roomConfig: { name: "r" } });
    expect(JSON.stringify(token)).not.toContain(SECRET1);
  });
});

describe("addSIPGrant", () => {
  it("is LiveKit's spelling; addSipGrant stays as a deprecated alias doing the same", async () => {
    const a = await new AccessToken(base)
      .addSIPGrant({ call: true })
      .addSIPGrant({ admin: true })
      .toJwt();
    const b = await new AccessToken(base)
      .addSipGrant({ call: true })
      .addSipGrant({ admin: true })
      .toJwt();
    expect(a).toBe(b);
    expect(decodeToken(a).claims.sip).toEqual({ admin: true, call: true });
    expect(() => new AccessToken(base).addSIPGrant({ dial: true } as never)).toThrow(
      expect.objectContaining({ option: "grant.dial" }),
    );
  });
});
