import { useCallback, useEffect, useRef, useState } from "react";
import { KIOSK_DB_NAME, openKioskDb } from "./db.ts";
import { Kiosk, loadPairing, type Pairing } from "./kiosk.ts";
import { extractPairingCode, wipeDoorData } from "./pairing.ts";
import { DoorScreen } from "./ui/DoorScreen.tsx";
import { PairScreen } from "./ui/PairScreen.tsx";
import { UpdatePrompt } from "./ui/UpdatePrompt.tsx";

const db = openKioskDb(KIOSK_DB_NAME, "relaxed");

/** A pairing link (/kiosk/#pair=CODE), taken off the address so a reload does not try it again. */
function takeLinkCode(): string | null {
  const code = extractPairingCode(window.location.hash);
  if (code) history.replaceState(null, "", window.location.pathname + window.location.search);
  return code;
}

const initialLinkCode = takeLinkCode();

type Screen =
  | { kind: "loading" }
  | { kind: "pair"; notice: string | null }
  | { kind: "door"; kiosk: Kiosk };

export function App() {
  const [screen, setScreen] = useState<Screen>({ kind: "loading" });
  const [linkCode, setLinkCode] = useState<string | null>(initialLinkCode);
  /** Scans the current door still has to upload, counted when a pairing link asks to replace it. */
  const [unsent, setUnsent] = useState<number | null>(null);

  const kioskRef = useRef<Kiosk | null>(null);

  // Revoked (or its token replaced): stop the loops, delete everything this door stored, back to pairing.
  const unpaired = useCallback((message: string) => {
    const kiosk = kioskRef.current;
    kioskRef.current = null;
    void (async () => {
      await kiosk?.stop();
      await wipeDoorData(db);
      setScreen({ kind: "pair", notice: `${message} This tablet's door data was deleted.` });
    })();
  }, []);

  const openDoor = useCallback(
    (pairing: Pairing) => {
      const kiosk = new Kiosk(db, pairing, unpaired);
      kioskRef.current = kiosk;
      setLinkCode(null);
      setScreen({ kind: "door", kiosk });
    },
    [unpaired],
  );

  useEffect(() => {
    let cancelled = false;
    void loadPairing(db).then((pairing) => {
      if (cancelled) return;
      if (pairing) openDoor(pairing);
      else setScreen({ kind: "pair", notice: null });
    });
    const onHash = () => setLinkCode(takeLinkCode());
    window.addEventListener("hashchange", onHash);
    return () => {
      cancelled = true;
      window.removeEventListener("hashchange", onHash);
    };
  }, [openDoor]);

  const replacing = screen.kind === "door" && linkCode !== null;
  useEffect(() => {
    if (!replacing) return;
    setUnsent(null);
    void db.outbox.where("state").equals("pending").count().then(setUnsent);
  }, [replacing]);

  let body;
  if (screen.kind === "loading") body = <main className="pair">Loading…</main>;
  else if (screen.kind === "pair") body = <PairScreen db={db} onPaired={openDoor} notice={screen.notice} linkCode={linkCode} />;
  else if (linkCode && unsent === null) body = <main className="pair">Loading…</main>;
  else if (linkCode) {
    // A pairing link opened on a tablet that already is a door: ask before replacing it.
    body = (
      <PairScreen
        db={db}
        beforeWipe={() => screen.kiosk.stop()}
        onPaired={openDoor}
        linkCode={linkCode}
        unsentScans={unsent ?? 0}
        notice={`This tablet is the door "${screen.kiosk.pairing.name}". Pairing replaces it.`}
        onCancel={() => setLinkCode(null)}
      />
    );
  } else body = <DoorScreen kiosk={screen.kiosk} />;

  return (
    <>
      {body}
      <UpdatePrompt />
    </>
  );
}
