import { readFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, gzipSync } from "node:zlib";
import type { Plugin, Rolldown } from "vite";

type OutputBundle = Rolldown.OutputBundle;
type OutputChunk = Rolldown.OutputChunk;

/** What the home page may download before it can draw, compressed (gzip: what plain-http browsers get). */
export const FIRST_LOAD_BUDGET_BYTES = 150 * 1024;

interface Sizes {
  raw: number;
  gzip: number;
  brotli: number;
}

function sizesOf(bytes: Buffer): Sizes {
  // The same settings the precompression uses, so these are the bytes the server sends.
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, brotli: brotliCompressSync(bytes).length };
}

/** The entry chunk and every chunk it imports statically: what the browser fetches before the first page renders. */
export function firstLoadChunks(bundle: OutputBundle): OutputChunk[] {
  const chunks = new Map<string, OutputChunk>();
  const visit = (fileName: string) => {
    const chunk = bundle[fileName];
    if (!chunk || chunk.type !== "chunk" || chunks.has(fileName)) return;
    chunks.set(fileName, chunk);
    chunk.imports.forEach(visit);
  };
  Object.values(bundle)
    .filter((item): item is OutputChunk => item.type === "chunk" && item.isEntry)
    .forEach((entry) => visit(entry.fileName));
  return [...chunks.values()];
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

/**
 * After `vite build`, prints the home page's first-load JavaScript (the entry and its static imports; pages that
 * load lazily are not counted), raw and compressed, against the budget.
 */
export function bundleReport(): Plugin {
  return {
    name: "admit:bundle-report",
    apply: "build",
    // The files as written, after every other plugin has had its say.
    writeBundle(options, bundle) {
      const dir = options.dir ?? "dist";
      const rows = firstLoadChunks(bundle).map((chunk) => ({
        file: chunk.fileName,
        ...sizesOf(readFileSync(join(dir, chunk.fileName))),
      }));
      const total = rows.reduce((sum, r) => ({ raw: sum.raw + r.raw, gzip: sum.gzip + r.gzip, brotli: sum.brotli + r.brotli }), {
        raw: 0,
        gzip: 0,
        brotli: 0,
      });
      const width = Math.max(...rows.map((r) => r.file.length), 5);
      const line = (name: string, s: Sizes) =>
        `  ${name.padEnd(width)}  ${kb(s.raw).padStart(9)}  ${kb(s.gzip).padStart(9)}  ${kb(s.brotli).padStart(9)}`;
      const verdict =
        total.gzip <= FIRST_LOAD_BUDGET_BYTES
          ? `within the ${kb(FIRST_LOAD_BUDGET_BYTES)} budget`
          : `OVER the ${kb(FIRST_LOAD_BUDGET_BYTES)} budget`;
      console.log(
        [
          "",
          "Home page first-load JavaScript",
          `  ${"file".padEnd(width)}  ${"raw".padStart(9)}  ${"gzip".padStart(9)}  ${"brotli".padStart(9)}`,
          ...rows.map((r) => line(r.file, r)),
          line("total", total),
          `  on the wire: ${kb(total.gzip)} gzip, ${kb(total.brotli)} brotli: ${verdict}`,
          "",
        ].join("\n"),
      );
    },
  };
}
