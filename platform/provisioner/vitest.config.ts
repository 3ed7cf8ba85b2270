import { defineProject } from "vitest/config";

export default defineProject({
  // Workspace packages resolve to each other's TypeScript sources, so tests need no build.
  resolve: { conditions: ["@vrsky/source"] },
  ssr: { resolve: { conditions: ["@vrsky/source"], externalConditions: ["@vrsky/source"] } },
  test: {
    name: "platform-provisioner",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
