import { useEffect } from "react";
import type { ShownResult } from "../kiosk.ts";
import { clockTime, resultFamily, verdictTitle, type VerdictFamily } from "./format.ts";

interface Props {
  result: ShownResult;
  onDismiss: () => void;
  onUndo: (clientScanId: string) => void;
}

/** A let-in goes by itself; anything else stays until tapped away (or the next scan), at most this long. */
export const ADMIT_SHOWN_MS = 2500;
export const OTHER_SHOWN_MS = 8000;

const icons: Record<VerdictFamily, { name: string; label: string; paths: string[] }> = {
  admit: { name: "check", label: "Let in", paths: ["M14 34 L27 47 L51 18"] },
  "already-in": { name: "clock", label: "Already in", paths: ["M32 8 a24 24 0 1 0 0.01 0", "M32 18 V33 L42 40"] },
  refused: { name: "cross", label: "Do not let in", paths: ["M16 16 L48 48", "M48 16 L16 48"] },
};

/** Big enough to read across a doorway; drawn in the text colour, so it keeps the family's contrast. */
function FamilyIcon({ family }: { family: VerdictFamily }) {
  const icon = icons[family];
  return (
    <svg className="result-icon" data-icon={icon.name} viewBox="0 0 64 64" role="img" aria-label={icon.label}>
      {icon.paths.map((d) => (
        <path key={d} d={d} fill="none" stroke="currentColor" strokeWidth={8} strokeLinecap="round" strokeLinejoin="round" />
      ))}
    </svg>
  );
}

/**
 * The verdict over the whole screen in its family's colour, pattern and icon. A new admit hides by itself after a
 * moment; already in and every refusal stay until tapped (or for a while), and the next scan replaces any at once.
 */
export function ResultOverlay({ result, onDismiss, onUndo }: Props) {
  const family = resultFamily(result);
  const newAdmit = family === "admit";
  const again = result.verdict === "ADMIT" && result.shownAgain;
  useEffect(() => {
    const timer = setTimeout(onDismiss, newAdmit ? ADMIT_SHOWN_MS : OTHER_SHOWN_MS);
    const onKey = (event: KeyboardEvent) => event.key === "Escape" && onDismiss();
    window.addEventListener("keydown", onKey);
    return () => {
      clearTimeout(timer);
      window.removeEventListener("keydown", onKey);
    };
  }, [result, newAdmit, onDismiss]);

  const who = [result.holderName, result.type].filter(Boolean).join(" · ");
  return (
    <div
      className={`result family-${family}`}
      data-verdict={result.verdict}
      data-family={family}
      data-shown-again={again ? "true" : undefined}
      role="alert"
      onClick={onDismiss}
    >
      <FamilyIcon family={family} />
      <p className="result-title">{again ? "Same ticket" : verdictTitle(result.verdict)}</p>
      {who && <p className="result-who">{who}</p>}
      {again && <p className="result-detail">Same ticket, admitted just now. Do not let a second person in on it.</p>}
      {result.verdict === "ALREADY_IN" && result.firstAdmittedAt && (
        <p className="result-detail">
          Admitted at {clockTime(result.firstAdmittedAt)}
          {result.firstAdmittedDoor ? ` at ${result.firstAdmittedDoor}` : ""}
        </p>
      )}
      {!again && <p className="result-detail">{result.message}</p>}
      {newAdmit && result.clientScanId && (
        <button
          type="button"
          className="result-undo"
          onClick={(event) => {
            event.stopPropagation();
            onUndo(result.clientScanId!);
          }}
        >
          {result.verdict === "EXIT" ? "Undo this exit" : "Undo this admit"}
        </button>
      )}
      <p className="result-hint">Tap or press Escape to close · ready for the next ticket</p>
    </div>
  );
}
