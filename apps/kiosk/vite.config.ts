import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { compression, defineAlgorithm } from "vite-plugin-compression2";
import { VitePWA } from "vite-plugin-pwa";

export default defineConfig({
  plugins: [
    react(),
    VitePWA({
      // A new version waits for the operator's "Update now": the kiosk never reloads by itself mid-scan.
      registerType: "prompt",
      injectRegister: false,
      manifest: {
        name: "Admit door kiosk",
        short_name: "Admit door",
        description: "Scan tickets at the door, online or offline.",
        start_url: "/kiosk/",
        scope: "/kiosk/",
        display: "fullscreen",
        orientation: "any",
        background_color: "#10151c",
        theme_color: "#10151c",
        icons: [{ src: "icon.svg", sizes: "any", type: "image/svg+xml", purpose: "any" }],
      },
      workbox: {
        // The second QR decoder's WebAssembly too, so the camera reads every code offline.
        globPatterns: ["**/*.{js,css,html,svg,webmanifest,wasm}"],
        navigateFallback: "/kiosk/index.html",
        navigateFallbackAllowlist: [/^\/kiosk\//],
        // The first install takes over the open page at once, so it works offline without a reload.
        clientsClaim: true,
        cleanupOutdatedCaches: true,
      },
    }),
    // Text assets are also written as .gz and .br, which the server sends as they are.
    compression({
      // The plugin's own list, and the QR decoder's WebAssembly (946 KB, about a third of that compressed).
      include: /\.(html|xml|css|json|js|mjs|svg|yaml|yml|toml|wasm)$/,
      algorithms: [defineAlgorithm("gzip", { level: 9 }), "brotliCompress"],
      logLevel: "silent",
    }),
  ],
  base: "/kiosk/",
  server: { proxy: { "/trpc": "http://localhost:3000", "/api": "http://localhost:3000" } },
  build: { outDir: "dist", emptyOutDir: true, sourcemap: true },
});
