import type { VerdictFamily } from "../ui/format.ts";

type Tone = { hz: number; toHz?: number; ms: number; gapMs?: number; wave?: OscillatorType; level?: number };

/**
 * One sound per family, told apart by pitch and rhythm so door staff need not look: one rising beep to let in, two
 * mid beeps for already in, a low buzz for every refusal.
 */
const patterns: Record<VerdictFamily, Tone[]> = {
  admit: [{ hz: 880, toHz: 1760, ms: 180 }],
  "already-in": [
    { hz: 660, ms: 130, gapMs: 90 },
    { hz: 660, ms: 130 },
  ],
  refused: [{ hz: 140, ms: 600, wave: "sawtooth", level: 0.5 }],
};

const vibrations: Record<VerdictFamily, number[]> = { admit: [60], "already-in": [120, 80, 120], refused: [400] };

/** Sound is "locked" until a tap or key press lets the page play it (browsers require one after every load). */
export type SoundState = "locked" | "on" | "unavailable";

let context: AudioContext | null = null;
let state: SoundState = typeof AudioContext === "undefined" ? "unavailable" : "locked";
const listeners = new Set<() => void>();

function setState(next: SoundState) {
  if (next === state) return;
  state = next;
  for (const listener of listeners) listener();
}

function follow(ctx: AudioContext) {
  setState(ctx.state === "running" ? "on" : "locked");
}

export const soundState = {
  get: (): SoundState => state,
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

/**
 * Starts (or resumes) the page's audio. It only works from inside a tap or key press, so the whole app calls it on
 * every one (see `listenForUnlock`); the state follows the audio context, which a phone call or the OS may suspend.
 */
export function unlockSound(): void {
  if (state === "unavailable") return;
  try {
    if (!context) {
      context = new AudioContext();
      const ctx = context;
      ctx.addEventListener("statechange", () => follow(ctx));
    }
    if (context.state !== "running") void context.resume().then(() => context && follow(context), () => undefined);
    follow(context);
  } catch {
    context = null;
    setState("unavailable");
  }
}

/** Unlocks sound with any tap, click or key press anywhere on the page (pairing included); returns the undo. */
export function listenForUnlock(target: Window = window): () => void {
  // Browsers grant audio on these (pointerdown alone is not enough on touch screens: touchend and click are).
  const events = ["pointerdown", "pointerup", "touchend", "click", "keydown"] as const;
  const unlock = () => unlockSound();
  for (const name of events) target.addEventListener(name, unlock, { capture: true, passive: true });
  return () => {
    for (const name of events) target.removeEventListener(name, unlock, { capture: true });
  };
}

export function playFamily(family: VerdictFamily): void {
  navigator.vibrate?.(vibrations[family]);
  if (!context || context.state !== "running") return;
  let at = context.currentTime + 0.01;
  for (const tone of patterns[family]) {
    const osc = context.createOscillator();
    const gain = context.createGain();
    osc.type = tone.wave ?? "sine";
    const end = at + tone.ms / 1000;
    osc.frequency.setValueAtTime(tone.hz, at);
    if (tone.toHz) osc.frequency.exponentialRampToValueAtTime(tone.toHz, end);
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(tone.level ?? 0.4, at + 0.01);
    gain.gain.setValueAtTime(tone.level ?? 0.4, Math.max(at + 0.01, end - 0.04));
    gain.gain.exponentialRampToValueAtTime(0.0001, end);
    osc.connect(gain).connect(context.destination);
    osc.start(at);
    osc.stop(end + 0.02);
    at = end + (tone.gapMs ?? 0) / 1000;
  }
}
