import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import { failureMessage } from "../api.ts";
import type { KioskDb } from "../db.ts";
import type { Pairing } from "../kiosk.ts";
import { extractPairingCode, pairWithCode } from "../pairing.ts";
import { Camera } from "../scan/Camera.tsx";

interface Props {
  db: KioskDb;
  onPaired: (pairing: Pairing) => void;
  /** Why the tablet is on this screen (e.g. it was revoked). */
  notice?: string | null;
  /** A code from a pairing link, paired at once unless this tablet has scans it would lose. */
  linkCode?: string | null;
  /** Scans this tablet still has to upload as its current door (pairing again discards them). */
  unsentScans?: number;
  onCancel?: () => void;
  /** Runs before the old door's data is deleted (stops its sync loops). */
  beforeWipe?: () => Promise<void>;
}

/** Pair this tablet as a door: scan the officer's pairing QR, type the code, or open the pairing link. */
export function PairScreen({ db, onPaired, notice, linkCode, unsentScans = 0, onCancel, beforeWipe }: Props) {
  const [code, setCode] = useState(linkCode ?? "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const tried = useRef(new Set<string>());

  const pair = useCallback(
    async (raw: string) => {
      const found = extractPairingCode(raw);
      if (!found) {
        setError("That is not a pairing code. Codes have 8 letters and digits, like K7QM-2D9X.");
        return;
      }
      setBusy(true);
      setError(null);
      try {
        onPaired(await pairWithCode(db, found, beforeWipe));
      } catch (e) {
        setError(`Pairing failed: ${failureMessage(e)}`);
      } finally {
        setBusy(false);
      }
    },
    [db, onPaired, beforeWipe],
  );

  const autoPair = Boolean(linkCode) && unsentScans === 0;
  useEffect(() => {
    if (autoPair && linkCode && !tried.current.has(linkCode)) {
      tried.current.add(linkCode);
      void pair(linkCode);
    }
  }, [autoPair, linkCode, pair]);

  const onScanned = useCallback(
    (text: string) => {
      const found = extractPairingCode(text);
      if (!found || tried.current.has(found) || busy) return;
      tried.current.add(found);
      setCode(found);
      void pair(found);
    },
    [busy, pair],
  );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void pair(code);
  };

  return (
    <main className="pair">
      <h1>Pair this tablet as a door</h1>
      {notice && (
        <p className="notice" role="alert">
          {notice}
        </p>
      )}
      {unsentScans > 0 && (
        <p className="notice" role="alert">
          This tablet still has {unsentScans} scan{unsentScans === 1 ? "" : "s"} waiting to upload for its current door.
          Pairing again deletes them. Let them upload first (get online) unless the old door was revoked.
        </p>
      )}
      <p>An officer creates the door in the club's dashboard and shows its pairing code. Scan it, or type it below.</p>
      <Camera onCode={onScanned} active={!busy} label="Camera for the pairing code" />
      <form onSubmit={submit} className="pair-form">
        <label htmlFor="pairing-code">Pairing code</label>
        <input
          id="pairing-code"
          value={code}
          onChange={(e) => setCode(e.target.value)}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          placeholder="K7QM-2D9X"
        />
        <button type="submit" disabled={busy || !code.trim()}>
          {busy ? "Pairing…" : "Pair"}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel} disabled={busy}>
            Keep the current door
          </button>
        )}
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </main>
  );
}
