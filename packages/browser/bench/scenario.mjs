// Scenarios shared by the benches (run on the BUILT packages) and the tests (run on src/).
// Plain ESM so that `node bench/*.mjs` needs no build step of its own.

/** Waits for `predicate()` to hold, checking after every event-loop turn. */
async function until(predicate, ms, what) {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`soak: timed out waiting for ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

/**
 * Soak: `drops` forced drops while the server streams agent replies and the client sends
 * text. Every reply and every echo must arrive exactly once, in order.
 *
 * @returns counts and timing.
 */
export async function soak({
  UnpodSession,
  exponentialBackoff,
  startDevServer,
  AccessToken,
  WebSocket,
  drops,
  perDrop = 5,
}) {
  const server = await startDevServer({ resumeWindow: 60 });
  try {
    const token = new AccessToken({
      apiKey: server.credentials.apiKey,
      apiSecret: server.credentials.apiSecret,
      identity: "soak",
      ttl: "1h",
    });
    token.addGrant({ room: "soak", roomJoin: true, canPublishData: true });
    const session = new UnpodSession({
      serverUrl: server.rtcUrl,
      token: await token.toJwt(),
      WebSocket,
      // Every connection here is brief (dropped right after it resumes), so the attempt count
      // runs on across all the drops: the limit must cover them all.
      reconnect: exponentialBackoff({ maxAttempts: 1e6, initialDelayMs: 1, maxDelayMs: 20 }),
    });
    const replies = [];
    const echoes = [];
    session.on("agent_reply", ({ text }) => {
      if (text.startsWith("Echo: ")) echoes.push(Number(text.slice(6)));
      else replies.push(Number(text));
    });
    let reconnects = 0;
    session.on("state", ({ state }) => {
      if (state === "reconnecting") reconnects += 1;
    });
    const started = performance.now();
    await session.connect();
    const sid = session.getSnapshot().sessionId;
    let pushed = 0;
    let texts = 0;
    const push = (n) => {
      for (let i = 0; i < n; i++) {
        server.rtc.push(sid, {
          type: "agent_reply",
          turn_id: `r${pushed}`,
          text: String(pushed),
          final: true,
        });
        pushed += 1;
      }
    };
    for (let d = 0; d < drops; d++) {
      push(perDrop); // some of these are still in flight when the socket dies
      session.sendText(String(texts++));
      server.rtc.dropSession(sid);
      push(perDrop); // sent while the socket is down: buffered, replayed on resume
      session.sendText(String(texts++)); // buffered by the client, resent on resume
      await until(
        () => session.getSnapshot().state === "connected" && reconnects > d,
        10_000,
        `resume ${d + 1}`,
      );
      // The texts resent after the resume must reach the server before the next drop kills
      // the socket: a client keeps at most 256 unconfirmed frames, and a socket that dies
      // right after every resume would otherwise never get one confirmed.
      await until(() => echoes.length >= texts, 10_000, `echoes after resume ${d + 1}`);
    }
    push(perDrop);
    await until(
      () => replies.length >= pushed && echoes.length >= texts,
      10_000,
      "the last frames",
    );
    const ms = performance.now() - started;
    const inOrder = (list, n) => list.length === n && list.every((v, i) => v === i);
    const result = {
      drops,
      reconnects,
      sessionId: session.getSnapshot().sessionId === sid ? "same" : "changed",
      replies: {
        sent: pushed,
        received: replies.length,
        exactlyOnceInOrder: inOrder(replies, pushed),
      },
      echoes: { sent: texts, received: echoes.length, exactlyOnceInOrder: inOrder(echoes, texts) },
      ms: Math.round(ms),
    };
    await session.disconnect();
    return result;
  } finally {
    await server.close();
  }
}

/** Percentile of sorted numbers. */
export function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
