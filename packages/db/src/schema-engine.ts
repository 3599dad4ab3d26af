import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
// The wasm-bindgen glue; Node 20 cannot import the .wasm as a module, so it is instantiated by hand below.
import * as bindings from "@prisma/schema-engine-wasm/schema_engine_bg";

export interface SchemaEngine {
  applyMigrations(input: unknown): Promise<{ appliedMigrationNames: string[] }>;
  diff(input: unknown): Promise<{ exitCode: number; stdout: string }>;
  free(): void;
}

let wasmReady: Promise<void> | undefined;

function loadWasm(): Promise<void> {
  wasmReady ??= (async () => {
    // The package exports only its JS entry points, so find the .wasm beside the glue module.
    const entry = createRequire(import.meta.url).resolve("@prisma/schema-engine-wasm");
    const wasmPath = join(dirname(entry), "schema_engine_bg.wasm");
    const module = await WebAssembly.compile(await readFile(wasmPath));
    const instance = new WebAssembly.Instance(module, { "./schema_engine_bg.js": bindings });
    const exports = instance.exports as Record<string, unknown> & { __wbindgen_start: () => void };
    (bindings as unknown as { __wbg_set_wasm: (e: unknown) => void }).__wbg_set_wasm(exports);
    exports.__wbindgen_start();
  })();
  return wasmReady;
}

/** Opens the Prisma schema engine (WebAssembly build) over a driver adapter: no native binary, no download. */
export async function openSchemaEngine(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  log: (message: string) => void = () => {},
): Promise<SchemaEngine> {
  await loadWasm();
  const { SchemaEngine } = bindings as unknown as {
    SchemaEngine: { new: (options: unknown, log: (m: string) => void, adapter: unknown) => Promise<SchemaEngine> };
  };
  return SchemaEngine.new({ datamodels: undefined }, log, bindMigrationAwareSqlAdapterFactory(adapterFactory));
}
