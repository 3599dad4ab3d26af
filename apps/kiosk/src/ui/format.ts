import type { Verdict } from "@admit/door";

export const verdictTitle: Record<Verdict, string> = {
  ADMIT: "Admit",
  ALREADY_IN: "Already in",
  WRONG_SHOWING: "Wrong showing",
  OLD_QR: "Old QR code",
  NOT_VALID: "Not valid",
  UNKNOWN: "Unknown code",
  FORGED: "Forged",
};

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
