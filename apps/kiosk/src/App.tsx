import { useEffect, useState } from "react";

type Health = { ok: boolean; database: string } | null;

/** The door kiosk's shell: shows whether this tablet can reach the server. */
export function App() {
  const [online, setOnline] = useState(navigator.onLine);
  const [health, setHealth] = useState<Health>(null);

  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    window.addEventListener("online", update);
    window.addEventListener("offline", update);
    const controller = new AbortController();
    fetch("/api/health", { signal: controller.signal })
      .then((r) => r.json() as Promise<Health>)
      .then(setHealth)
      .catch(() => setHealth(null));
    return () => {
      controller.abort();
      window.removeEventListener("online", update);
      window.removeEventListener("offline", update);
    };
  }, []);

  return (
    <main className="kiosk">
      <h1>Admit door kiosk</h1>
      <p className={online ? "status online" : "status offline"} role="status">
        {online ? "Online" : "Offline"}
        {health ? ` · server ${health.ok ? "ready" : "not ready"}` : ""}
      </p>
    </main>
  );
}
