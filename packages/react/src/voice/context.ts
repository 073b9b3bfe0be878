"use client";
import { invalidArgument } from "@unpod/core/internal";
import { createContext, useContext } from "react";
import type { VoiceHandle } from "./voiceHandle.js";

/** @internal The voice provider's context. */
export const VoiceContext = createContext<VoiceHandle | undefined>(undefined);

/** @internal The voice handle, or a clear error naming the hook that needed it. */
export function useVoiceHandle(hook: string): VoiceHandle {
  const handle = useContext(VoiceContext);
  if (handle === undefined) {
    throw invalidArgument(
      hook,
      'must be called inside <UnpodProvider voice={…}> from "@unpod/react/voice"',
    );
  }
  return handle;
}
