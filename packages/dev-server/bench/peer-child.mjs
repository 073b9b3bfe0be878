// The peer for sessions.mjs --peer: a bare `ws` server on node:http that does the least a
// real-time endpoint can — accept the upgrade, send one `joined` frame, answer each
// `user_text` with an `agent_reply` — with no token check, no session state, no replay
// buffer. It is the floor the dev server's connect time is compared with, in the same run
// and with the same clients. Same message protocol with sessions.mjs as server-child.mjs.
import { createServer } from "node:http";
import { WebSocketServer } from "ws";
import { memory } from "./memory.mjs";

const http = createServer((_req, res) => res.writeHead(404).end());
const wss = new WebSocketServer({ server: http, path: "/v1/rtc", perMessageDeflate: false });
let n = 0;
wss.on("connection", (ws) => {
  const sid = `S_${++n}`;
  let seq = 0;
  ws.send(JSON.stringify({ type: "joined", seq: ++seq, session_id: sid, resumed: false }));
  ws.on("message", (data) => {
    const frame = JSON.parse(String(data));
    if (frame.type === "user_text") {
      ws.send(JSON.stringify({ type: "agent_reply", seq: ++seq, text: frame.text, final: true }));
    }
  });
});
await new Promise((resolve) => http.listen(0, "127.0.0.1", resolve));
const { port } = http.address();

process.on("message", async (msg) => {
  if (msg === "memory") process.send({ memory: memory() });
  else if (msg === "stats") {
    process.send({ stats: { activeSockets: wss.clients.size, sessions: wss.clients.size } });
  } else if (msg === "close") {
    for (const ws of wss.clients) ws.terminate();
    await new Promise((resolve) => http.close(resolve));
    process.send({ closed: true });
    process.exit(0);
  }
});
process.send({
  ready: true,
  rtcUrl: `ws://127.0.0.1:${port}`,
  // The clients mint tokens with these; the peer never checks them.
  credentials: { apiKey: "peer", apiSecret: "peer-secret-peer-secret-peer-secret-0123" },
  memory: memory(),
});
