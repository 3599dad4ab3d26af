import { launchBrowser } from "../test/e2e/browser.ts";
import { createServer } from "node:http";
const srv = createServer((_, res) => { res.setHeader("content-type", "text/html"); res.end("<html><body>x</body></html>"); });
await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
const port = (srv.address() as any).port;
const b = await launchBrowser();
await b.page.goto(`http://127.0.0.1:${port}/`);
for (const [variant, buckets] of [["objects", 256], ["objects", 1024], ["json", 256], ["json", 4096]] as const) {
  const r = await b.page.evaluate(async ([variant, buckets]) => {
    const N = 50000;
    const name = `probe-b-${variant}-${buckets}`;
    const db: IDBDatabase = await new Promise((res, rej) => { const o = indexedDB.open(name, 1); o.onupgradeneeded = () => { o.result.createObjectStore("b", { keyPath: "k" }); }; o.onsuccess = () => res(o.result); o.onerror = () => rej(o.error); });
    const rows = Array.from({ length: N }, (_, i) => ({ id: crypto.randomUUID(), showingId: 7, type: "General", holderName: `Ana Lee Number ${i}`, qrGeneration: 0, valid: true, attended: false, attendedAt: null, attendedDoor: null }));
    const t = performance.now();
    const groups = new Map<number, any[]>();
    for (const r of rows) { const k = parseInt(r.id.slice(0, 4), 16) % (buckets as number); if (!groups.has(k)) groups.set(k, []); groups.get(k)!.push(r); }
    await new Promise<void>((res, rej) => { const tx = db.transaction("b", "readwrite", { durability: "relaxed" }); const st = tx.objectStore("b"); for (const [k, list] of groups) st.put({ k, v: variant === "json" ? JSON.stringify(list) : list }); tx.oncomplete = () => res(); tx.onerror = () => rej(tx.error); });
    const writeMs = performance.now() - t;
    const times: number[] = [];
    for (let i = 0; i < 300; i++) {
      const s = performance.now();
      const id = rows[(i * 131) % N]!.id;
      const got: any = await new Promise((res, rej) => { const g = db.transaction("b", "readonly").objectStore("b").get(parseInt(id.slice(0, 4), 16) % (buckets as number)); g.onsuccess = () => res(g.result); g.onerror = () => rej(g.error); });
      const list = variant === "json" ? JSON.parse(got.v) : got.v;
      if (!list.find((x: any) => x.id === id)) throw new Error("missing");
      times.push(performance.now() - s);
    }
    times.sort((a, b) => a - b);
    db.close();
    return { writeMs: Math.round(writeMs), readP50: times[150], readP99: times[297] };
  }, [variant, buckets] as const);
  console.log(variant, buckets, JSON.stringify(r));
}
await b.close(); srv.close();
