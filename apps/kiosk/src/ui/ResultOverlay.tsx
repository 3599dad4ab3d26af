import { useEffect } from "react";
import type { ShownResult } from "../kiosk.ts";
import { clockTime, verdictTitle } from "./format.ts";

interface Props {
  result: ShownResult;
  onDismiss: () => void;
  onUndo: (clientScanId: string) => void;
}

/** The verdict over the whole screen in its colour; it hides by itself and the next scan replaces it at once. */
export function ResultOverlay({ result, onDismiss, onUndo }: Props) {
  const admitted = result.verdict === "ADMIT";
  useEffect(() => {
    const timer = setTimeout(onDismiss, admitted ? 2500 : 5000);
    const onKey = (event: KeyboardEvent) => event.key === "Escape" && onDismiss();
    window.addEventListener("keydown", onKey);
    return () => {
      clearTimeout(timer);
      window.removeEventListener("keydown", onKey);
    };
  }, [result, admitted, onDismiss]);

  const who = [result.holderName, result.type].filter(Boolean).join(" · ");
  return (
    <div
      className={`result verdict-${result.verdict}`}
      data-verdict={result.verdict}
      role="alert"
      onClick={onDismiss}
    >
      <p className="result-title">{verdictTitle[result.verdict]}</p>
      {who && <p className="result-who">{who}</p>}
      {result.verdict === "ALREADY_IN" && result.firstAdmittedAt && (
        <p className="result-detail">
          Admitted at {clockTime(result.firstAdmittedAt)}
          {result.firstAdmittedDoor ? ` at ${result.firstAdmittedDoor}` : ""}
        </p>
      )}
      <p className="result-detail">{result.message}</p>
      {admitted && result.clientScanId && (
        <button
          type="button"
          className="result-undo"
          onClick={(event) => {
            event.stopPropagation();
            onUndo(result.clientScanId!);
          }}
        >
          Undo this admit
        </button>
      )}
      <p className="result-hint">Tap or press Escape to close · ready for the next ticket</p>
    </div>
  );
}
