"use client";
import { invalidArgument } from "@unpod/core/internal";
import { useCallback, useEffect, useState, useSyncExternalStore } from "react";
import { useVoiceHandle } from "./context.js";

/** What {@link useMediaDevices} returns. */
export interface MediaDevices {
  /** The devices of that kind, kept current on `devicechange` (labels appear once the microphone is allowed). */
  readonly devices: readonly MediaDeviceInfo[];
  /** The device voice uses (`undefined`: the default). */
  readonly selected: string | undefined;
  /**
   * Switches to a device (at once when voice runs, else for when it starts).
   *
   * @param deviceId - A device's `deviceId`, or `undefined` for the default.
   * @returns Resolves once switched.
   */
  readonly select: (deviceId: string | undefined) => Promise<void>;
}

const NONE: readonly MediaDeviceInfo[] = Object.freeze([]);

/**
 * The microphones (`"audioinput"`) or speakers (`"audiooutput"`) of this machine, the one in
 * use, and a setter. Empty on the server and where the browser has no `mediaDevices`.
 *
 * @param kind - `"audioinput"` or `"audiooutput"`.
 * @returns `devices`, `selected`, `select`.
 * @throws {@link @unpod/core!UnpodArgumentError} `kind`, or outside the voice provider.
 * @example
 * ```tsx
 * import { useMediaDevices } from "@unpod/react/voice";
 * function MicPicker() {
 *   const { devices, selected, select } = useMediaDevices("audioinput");
 *   return (
 *     <select value={selected ?? ""} onChange={(e) => select(e.target.value || undefined)}>
 *       <option value="">Default</option>
 *       {devices.map((d) => <option key={d.deviceId} value={d.deviceId}>{d.label || d.deviceId}</option>)}
 *     </select>
 *   );
 * }
 * ```
 */
export function useMediaDevices(kind: "audioinput" | "audiooutput"): MediaDevices {
  if (kind !== "audioinput" && kind !== "audiooutput") {
    throw invalidArgument("kind", 'must be "audioinput" or "audiooutput"');
  }
  const handle = useVoiceHandle("useMediaDevices");
  const snapshot = useSyncExternalStore(handle.subscribe, handle.getSnapshot, handle.getSnapshot);
  const [devices, setDevices] = useState(NONE);
  const allowed = snapshot.status === "active"; // labels come with the microphone permission
  // biome-ignore lint/correctness/useExhaustiveDependencies: `allowed` re-lists the devices once their labels can be read.
  useEffect(() => {
    const media = globalThis.navigator?.mediaDevices;
    if (!media?.enumerateDevices) return;
    let live = true;
    const list = () => {
      media.enumerateDevices().then(
        (all) => {
          if (live) setDevices(Object.freeze(all.filter((d) => d.kind === kind)));
        },
        () => {},
      );
    };
    list();
    media.addEventListener?.("devicechange", list);
    return () => {
      live = false;
      media.removeEventListener?.("devicechange", list);
    };
  }, [kind, allowed]);
  const select = useCallback(
    (deviceId: string | undefined) => handle.setDevice(kind, deviceId),
    [handle, kind],
  );
  const selected = kind === "audioinput" ? snapshot.inputDeviceId : snapshot.outputDeviceId;
  return { devices, selected, select };
}
