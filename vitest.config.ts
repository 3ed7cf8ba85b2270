import { defineConfig } from "vitest/config";

// One vitest run covers every package so CI reports a single total; each package keeps its own
// config (timeouts, setup) as a project.
export default defineConfig({
  test: {
    projects: ["packages/*", "platform/*", "examples/*/vitest.config.ts"],
  },
});
