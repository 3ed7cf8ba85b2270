import { defineConfig } from "tsup";

export default defineConfig({
  // The worker is its own entry: the orchestrator forks it as a separate process.
  entry: ["src/index.ts", "src/worker.ts"],
  format: ["esm"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
});
