import { useSyncExternalStore } from "react";
import { soundState, unlockSound } from "../scan/sounds.ts";

/**
 * Browsers keep a page silent until someone taps it, after pairing by link or camera and after every reload. Until
 * then this says so where door staff look, and any tap (this button or anywhere else) turns the sound on.
 */
export function SoundControl() {
  const state = useSyncExternalStore((changed) => soundState.subscribe(changed), () => soundState.get());
  if (state !== "locked") return null;
  return (
    <button type="button" className="sound-locked" data-testid="sound-locked" onClick={unlockSound}>
      <svg className="sound-locked-icon" viewBox="0 0 24 24" aria-hidden="true">
        <path d="M4 9h4l5-4v14l-5-4H4z" fill="currentColor" />
        <path d="M16 9l5 6M21 9l-5 6" stroke="currentColor" strokeWidth="2" strokeLinecap="round" fill="none" />
      </svg>
      Tap for sound <small>(silent until the screen is tapped)</small>
    </button>
  );
}
