import type { Verdict } from "@admit/door";

/**
 * The three kinds of answer door staff must tell apart at arm's length, as pretixSCAN does: let in, already in, and
 * every refusal. Each has its own colour, pattern, icon and sound, so none depends on colour vision or hearing alone.
 */
export type VerdictFamily = "admit" | "already-in" | "refused";

/** Only a let-through is green and only ALREADY_IN is amber; any other verdict, one added later included, is a refusal. */
export function verdictFamily(verdict: Verdict): VerdictFamily {
  // An exit door's "leaving: recorded" is its let-through: green, short, with the admit's sound.
  if (verdict === "ADMIT" || verdict === "EXIT") return "admit";
  if (verdict === "ALREADY_IN") return "already-in";
  return "refused";
}

const titles: Partial<Record<Verdict, string>> = {
  ADMIT: "Admit",
  ALREADY_IN: "Already in",
  EXIT: "Leaving",
  NOT_INSIDE: "Not checked in",
  WRONG_DOOR: "Wrong door",
  WRONG_SHOWING: "Wrong showing",
  OLD_QR: "Old QR code",
  NOT_VALID: "Not valid",
  UNKNOWN: "Unknown code",
  FORGED: "Forged",
};

/** The big word on the verdict screen; a verdict without a title of its own is spelled out from its name. */
export function verdictTitle(verdict: Verdict): string {
  const name: string = verdict;
  return titles[verdict] ?? name.charAt(0) + name.slice(1).toLowerCase().replace(/_/g, " ");
}

export function clockTime(iso: string | null): string {
  if (!iso) return "";
  return new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

export function dateTime(iso: string): string {
  return new Date(iso).toLocaleString([], { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
}

/** "just now", "12 s ago", "4 min ago", "2 h ago". */
export function ago(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 3) return "just now";
  if (seconds < 90) return `${seconds} s ago`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `${minutes} min ago`;
  return `${Math.round(minutes / 60)} h ago`;
}

const reasons: Record<string, string> = {
  "already-in": "let in again after the first admit",
  "old-qr": "let in on a replaced QR code",
  "wrong-showing": "let in at the wrong showing",
  "not-sold": "let in though the ticket was not sold",
};

export function conflictReason(reason: string): string {
  return reasons[reason] ?? reason;
}

/** A repeat of an ADMIT that came back into view is not a new admit: it is shown, and heard, as already in. */
export function resultFamily(result: { verdict: Verdict; shownAgain: boolean }): VerdictFamily {
  return result.verdict === "ADMIT" && result.shownAgain ? "already-in" : verdictFamily(result.verdict);
}
