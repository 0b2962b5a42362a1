import { defineConfig } from "vitest/config";
import { widgetsVersionPlugin } from "./src/widgets/vite-plugin";

// The bundle is served by Carnet under base_url + "static/"; relative URLs keep it
// independent of base_url, and the manifest tells the server the hashed entry names.
export default defineConfig({
  base: "./",
  plugins: [widgetsVersionPlugin()],
  build: {
    outDir: "../src/carnet/static",
    emptyOutDir: true,
    manifest: "manifest.json",
    sourcemap: false,
    chunkSizeWarningLimit: 2000,
    rollupOptions: { input: { main: "src/main.ts" } },
  },
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
  },
});
