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
        globPatterns: ["**/*.{js,css,html,svg,webmanifest}"],
        navigateFallback: "/kiosk/index.html",
        navigateFallbackAllowlist: [/^\/kiosk\//],
        // The first install takes over the open page at once, so it works offline without a reload.
        clientsClaim: true,
        cleanupOutdatedCaches: true,
      },
    }),
    // Text assets are also written as .gz and .br, which the server sends as they are.
    compression({ algorithms: [defineAlgorithm("gzip", { level: 9 }), "brotliCompress"], logLevel: "silent" }),
  ],
  base: "/kiosk/",
  server: { proxy: { "/trpc": "http://localhost:3000", "/api": "http://localhost:3000" } },
  build: { outDir: "dist", emptyOutDir: true, sourcemap: true },
});
