import { launchBrowser } from "../test/e2e/browser.ts";
import { createServer } from "node:http";
const srv = createServer((_, res) => { res.setHeader("content-type", "text/html"); res.end("<html><body>x</body></html>"); });
await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
const port = (srv.address() as any).port;
const b = await launchBrowser();
await b.page.goto(`http://127.0.0.1:${port}/`);
const N = 50000;
for (const variant of ["noindex", "showing+words", "words", "oneTx-noindex"]) {
  const r = await b.page.evaluate(async ([variant, N]) => {
    const name = "probe-" + variant;
    const db: IDBDatabase = await new Promise((res, rej) => { const o = indexedDB.open(name, 1); o.onupgradeneeded = () => { const s = o.result.createObjectStore("t", { keyPath: "id" }); if (variant.includes("showing")) s.createIndex("showingId", "showingId"); if (variant.includes("words")) s.createIndex("words", "words", { multiEntry: true }); }; o.onsuccess = () => res(o.result); o.onerror = () => rej(o.error); });
    const rows = Array.from({ length: N as number }, (_, i) => ({ id: crypto.randomUUID(), showingId: 7, type: "General", holderName: `Ana Lee Number ${i}`, qrGeneration: 0, valid: true, attended: false, attendedAt: null, attendedDoor: null, words: ["ana", "lee", "number", String(i)] }));
    const t = performance.now();
    const slice = (variant as string).startsWith("oneTx") ? (N as number) : 2000;
    for (let i = 0; i < rows.length; i += slice) {
      await new Promise<void>((res, rej) => { const tx = db.transaction("t", "readwrite", { durability: "relaxed" }); const st = tx.objectStore("t"); for (const r of rows.slice(i, i + slice)) st.put(r); tx.oncomplete = () => res(); tx.onerror = () => rej(tx.error); });
    }
    const writeMs = performance.now() - t;
    // decide-like transactions: get + add in rw, strict vs relaxed
    const out: Record<string, number> = { writeMs };
    for (const durability of ["strict", "relaxed"] as const) {
      const times: number[] = [];
      for (let k = 0; k < 200; k++) {
        const s = performance.now();
        await new Promise<void>((res, rej) => { const tx = db.transaction(["t"], "readwrite", { durability }); const st = tx.objectStore("t"); const g = st.get(rows[k * 7]!.id); g.onsuccess = () => { st.put({ ...g.result, id: crypto.randomUUID() }); }; tx.oncomplete = () => res(); tx.onerror = () => rej(tx.error); });
        times.push(performance.now() - s);
      }
      times.sort((a, b) => a - b);
      out[durability + "P50"] = times[100]!; out[durability + "P99"] = times[198]!;
    }
    db.close();
    return out;
  }, [variant, N] as const);
  console.log(variant, JSON.stringify(r));
}
await b.close(); srv.close();
