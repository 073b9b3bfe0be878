// A recording host for the speaker and voice-agent unit tests: every frame and binary chunk
// with the fake clock's time when it was sent.
import type { AgentState, VideoGrant } from "@unpod/core";
import type { UnsequencedFrame } from "../../src/rtc/session.js";
import { FakeClock } from "../helpers.js";

export type Sent = { at: number; frame: UnsequencedFrame } | { at: number; audio: Uint8Array };

export class RecordingHost {
  readonly clock = new FakeClock(1_000_000);
  readonly sent: Sent[] = [];
  readonly logger = {};
  video: VideoGrant = { roomJoin: true, room: "r", canPublish: true };
  /** Whether binary audio reaches a socket (false: dropped, as with no socket). */
  connected = true;

  send(frame: UnsequencedFrame): void {
    this.sent.push({ at: this.clock.now(), frame });
  }
  sendAudio(pcm: Uint8Array): void {
    if (this.connected) this.sent.push({ at: this.clock.now(), audio: pcm });
  }
  agentState(state: AgentState, turnId?: string): void {
    this.send(
      turnId === undefined
        ? { type: "agent_state", state }
        : { type: "agent_state", state, turn_id: turnId },
    );
  }
  grant(): VideoGrant {
    return this.video;
  }

  /** The control frames, compactly: `type` plus the interesting field. */
  frames(): string[] {
    return this.sent.flatMap((s) => {
      if (!("frame" in s)) return [];
      const f = s.frame as Record<string, unknown>;
      const detail = f.state ?? f.reason ?? f.speaking ?? f.text ?? "";
      return [`${f.type}${f.turn_id ? `:${f.turn_id}` : ""}${detail === "" ? "" : ` ${detail}`}`];
    });
  }

  audio(): { at: number; bytes: number }[] {
    return this.sent.flatMap((s) =>
      "audio" in s ? [{ at: s.at, bytes: s.audio.byteLength }] : [],
    );
  }

  clear(): void {
    this.sent.length = 0;
  }
}
