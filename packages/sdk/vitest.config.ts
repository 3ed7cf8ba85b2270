import { defineProject } from "vitest/config";

export default defineProject({
  resolve: { conditions: ["@vrsky/source"] },
  test: {
    name: "sdk",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    typecheck: { enabled: true, include: ["src/**/*.test-d.ts"] },
  },
});
