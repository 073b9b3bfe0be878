/** Samples kept per latency series. */
const KEEP = 200;

/** A bounded series of latencies (ms): the newest {@link KEEP}. */
class Series {
  readonly #values: number[] = [];

  add(ms: number): void {
    if (!Number.isFinite(ms)) return;
    this.#values.push(ms);
    if (this.#values.length > KEEP) this.#values.shift();
  }

  values(): number[] {
    return [...this.#values];
  }
}

/** Counters and latencies of a voice session, from {@link UnpodVoice.getStats}. */
export interface VoiceStats {
  /** Microphone frames sent to the server. */
  readonly framesSent: number;
  /** Microphone frames not sent: muted, or no socket (audio is never buffered). */
  readonly framesDropped: number;
  /** Agent audio frames received (for turns being played). */
  readonly framesReceived: number;
  /**
   * Uplink: from the capture worklet's last sample of a frame to the socket send, in ms;
   * the newest 200. (Resolution: one render quantum, ~2.7 ms at 48 kHz.)
   */
  readonly uplinkMs: readonly number[];
  /**
   * Downlink: from a turn's first binary frame arriving to the playback worklet's word that
   * its first sample went out (an upper bound: it includes that message's way back), in ms.
   */
  readonly downlinkMs: readonly number[];
  /**
   * From an interrupt (the server's frame or `interrupt()`) to the playback worklet's word
   * that it is silent (an upper bound, as for `downlinkMs`), in ms.
   */
  readonly interruptMs: readonly number[];
}

/** The mutable side of {@link VoiceStats}. */
export class Stats {
  framesSent = 0;
  framesDropped = 0;
  framesReceived = 0;
  readonly uplink = new Series();
  readonly downlink = new Series();
  readonly interrupt = new Series();

  snapshot(): VoiceStats {
    return {
      framesSent: this.framesSent,
      framesDropped: this.framesDropped,
      framesReceived: this.framesReceived,
      uplinkMs: this.uplink.values(),
      downlinkMs: this.downlink.values(),
      interruptMs: this.interrupt.values(),
    };
  }
}
