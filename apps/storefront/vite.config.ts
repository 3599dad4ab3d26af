import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { compression, defineAlgorithm } from "vite-plugin-compression2";
import { bundleReport } from "./bundle-report.ts";

export default defineConfig({
  plugins: [
    react(),
    // Every text asset is also written as .gz and .br, which the server sends as they are (no compressing per request).
    compression({ algorithms: [defineAlgorithm("gzip", { level: 9 }), "brotliCompress"], logLevel: "silent" }),
    bundleReport(),
  ],
  base: "/",
  server: { proxy: { "/trpc": "http://localhost:3000", "/api": "http://localhost:3000" } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: true,
    rolldownOptions: {
      output: {
        // The libraries every page needs change far less often than the app: separate files stay cached across
        // deploys. Anything else (zod, which only the forms use; the dashboard's QR drawing) stays with the lazily
        // loaded pages that use it, out of the home page's first load (`npm run bench:weight` prints its size).
        codeSplitting: {
          groups: [
            { name: "react", test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            { name: "libs", test: /node_modules[\\/](react-router|@tanstack|@trpc)[\\/]/ },
          ],
        },
      },
    },
  },
});
