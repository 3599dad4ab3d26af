import react from "@vitejs/plugin-react";
import { defineConfig, type ProxyOptions } from "vite";
import { compression, defineAlgorithm } from "vite-plugin-compression2";
import { bundleReport } from "./bundle-report.ts";

const devServer = "http://localhost:3000";

/**
 * `npm run dev`: pages come from Vite's port but the API from the server's, whose PUBLIC_URL is its own origin. The
 * server refuses cookie-authenticated writes from any other origin, so the proxy presents the page's requests as
 * coming from the server's origin (only here, in development; production serves both from one origin).
 */
const devProxy: ProxyOptions = {
  target: devServer,
  configure: (proxy) => {
    proxy.on("proxyReq", (request) => {
      if (request.getHeader("origin") !== undefined) request.setHeader("origin", devServer);
    });
  },
};

export default defineConfig({
  plugins: [
    react(),
    // Every text asset is also written as .gz and .br, which the server sends as they are (no compressing per request).
    compression({ algorithms: [defineAlgorithm("gzip", { level: 9 }), "brotliCompress"], logLevel: "silent" }),
    bundleReport(),
  ],
  base: "/",
  server: { proxy: { "/trpc": devProxy, "/api": devProxy } },
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
