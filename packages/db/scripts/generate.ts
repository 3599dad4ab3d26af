// Runs `prisma generate` without the native schema engine. The CLI only checks that the engine file exists
// (generation itself needs no engine), so point it at a file that is always there instead of downloading one.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { schemaPath } from "../src/paths.ts";

const require = createRequire(import.meta.url);
const cli = require.resolve("prisma/build/index.js");
const result = spawnSync(process.execPath, [cli, "generate", "--schema", schemaPath], {
  stdio: "inherit",
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? schemaPath,
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
  },
});
process.exit(result.status ?? 1);
