import type { Verdict } from "@admit/door";

type Tone = { hz: number; ms: number; gapMs?: number; wave?: OscillatorType };

/**
 * One sound per verdict, told apart by pitch and rhythm so door staff need not look: a rising pair for admit, a
 * flat double for already in, a low buzz for the wrong showing or an old code, three harsh pulses for a forgery.
 */
const patterns: Record<Verdict, Tone[]> = {
  ADMIT: [
    { hz: 880, ms: 90, gapMs: 30 },
    { hz: 1320, ms: 140 },
  ],
  ALREADY_IN: [
    { hz: 520, ms: 160, gapMs: 90 },
    { hz: 520, ms: 160 },
  ],
  WRONG_SHOWING: [{ hz: 330, ms: 450, wave: "triangle" }],
  OLD_QR: [
    { hz: 392, ms: 220, gapMs: 40 },
    { hz: 294, ms: 320, wave: "triangle" },
  ],
  NOT_VALID: [{ hz: 240, ms: 500, wave: "sawtooth" }],
  UNKNOWN: [
    { hz: 200, ms: 120, gapMs: 80, wave: "square" },
    { hz: 200, ms: 120, wave: "square" },
  ],
  FORGED: [
    { hz: 160, ms: 110, gapMs: 60, wave: "square" },
    { hz: 160, ms: 110, gapMs: 60, wave: "square" },
    { hz: 160, ms: 110, wave: "square" },
  ],
};

const vibrations: Partial<Record<Verdict, number[]>> = { ADMIT: [60], ALREADY_IN: [120, 80, 120] };

let context: AudioContext | null = null;

/** Browsers allow sound only after a tap or key press; call this from one. */
export function unlockSound(): void {
  try {
    context ??= new AudioContext();
    if (context.state === "suspended") void context.resume();
  } catch {
    context = null;
  }
}

export function playVerdict(verdict: Verdict): void {
  navigator.vibrate?.(vibrations[verdict] ?? [250, 100, 250]);
  if (!context || context.state !== "running") return;
  let at = context.currentTime + 0.01;
  for (const tone of patterns[verdict]) {
    const osc = context.createOscillator();
    const gain = context.createGain();
    osc.type = tone.wave ?? "sine";
    osc.frequency.value = tone.hz;
    const end = at + tone.ms / 1000;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.4, at + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, end);
    osc.connect(gain).connect(context.destination);
    osc.start(at);
    osc.stop(end + 0.02);
    at = end + (tone.gapMs ?? 0) / 1000;
  }
}
