import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [react()],
  base: "/",
  server: { proxy: { "/trpc": "http://localhost:3000", "/api": "http://localhost:3000" } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: true,
    rolldownOptions: {
      output: {
        // The libraries every page needs change far less often than the app: separate files stay cached across
        // deploys. Anything else (e.g. the dashboard's QR drawing) stays with the lazily loaded page that uses it.
        codeSplitting: {
          groups: [
            { name: "react", test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            { name: "libs", test: /node_modules[\\/](react-router|@tanstack|@trpc|zod)[\\/]/ },
          ],
        },
      },
    },
  },
});
