import { cp } from "node:fs/promises";
import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts", "src/test-platform.ts"],
  format: ["esm"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
  // Workspace packages stay imports (the test helper's @vrsky/services is a dev dependency).
  external: [/^@vrsky\//],
  // migrate() reads the SQL files next to the built module.
  async onSuccess() {
    await cp("src/migrations", "dist/migrations", { recursive: true });
  },
});
