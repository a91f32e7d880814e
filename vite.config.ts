import { defineConfig } from "vite";

// The UI lives in ui/; Tauri embeds ui/dist. Nothing is fetched from other hosts at run time.
export default defineConfig({
  root: "ui",
  base: "./",
  clearScreen: false,
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "safari15",
    sourcemap: false,
  },
});
