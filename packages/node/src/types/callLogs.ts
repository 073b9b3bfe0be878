import type { OpenString, Timestamp } from "./common.js";

/** One call (`GET call-logs/`). */
export interface CallLog {
  /** The entry's id. */
  id: number;
  /** Caller (E.164). */
  source_number: string;
  /** Callee (E.164). */
  destination_number: string;
  /** `inbound` or `outbound`. */
  call_type: OpenString<"inbound" | "outbound">;
  /** e.g. `completed`, `failed`, `no_answer`, `busy`. */
  call_status: string;
  /** When the log entry was created. */
  creation_time: Timestamp;
  /** When the call started. */
  start_time: Timestamp | null;
  /** When the call ended. */
  end_time: Timestamp | null;
  /** Length in seconds. */
  call_duration: number | null;
  /** Why the call ended, e.g. `customer_hangup`. */
  end_reason: string | null;
  /** The bridge that carried the call (its id). */
  bridge?: number | null;
  /** The agent that handled the call. */
  agent?: CallLogRef | null;
  /** The space the call belongs to. */
  space?: CallLogRef | null;
}

/** A reference to the agent or space of a {@link CallLog}. */
export interface CallLogRef {
  /** Numeric id. */
  id: number;
  /** Display name. */
  name: string;
}
