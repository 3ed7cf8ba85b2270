import { defineConfig } from "tsup";

export default defineConfig({
  // One entry per command: oclif finds them in dist/commands (the `pattern` strategy).
  entry: ["src/index.ts", "src/commands/**/*.ts", "!src/**/*.test.ts"],
  format: ["esm"],
  dts: { entry: "src/index.ts" },
  sourcemap: true,
  clean: true,
  target: "node20",
  // The workspace packages are bundled from their sources, so `tsup` here is the only build
  // `bin/run.js` needs; third-party packages stay imports, resolved from node_modules.
  // The platform packages stay imports of their own builds: they find files next to their
  // modules (SQL migrations, the worker entry) that a bundle would not carry.
  noExternal: [/^@vrsky\/(?!platform)/],
  external: [/^[^./@]/, /^@(?!vrsky\/)/, /^@vrsky\/platform/],
  onSuccess: "node scripts/write-manifest.mjs",
  esbuildOptions(options) {
    options.conditions = ["@vrsky/source"];
  },
});
