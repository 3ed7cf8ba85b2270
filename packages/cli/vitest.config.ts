import { defineProject } from "vitest/config";

export default defineProject({
  // Workspace packages resolve to each other's TypeScript sources, so tests need no build.
  resolve: { conditions: ["@vrsky/source"] },
  ssr: { resolve: { conditions: ["@vrsky/source"], externalConditions: ["@vrsky/source"] } },
  test: {
    name: "cli",
    include: ["src/**/*.test.ts", "src/**/*.test.tsx", "test/**/*.test.ts"],
    // Fixture projects carry their own tests, run by `vrsky test` inside them.
    exclude: ["**/node_modules/**", "**/__fixtures__/**"],
    // The CLI is tested end to end as a child process: build it (and the SDK the fixture
    // projects import) once before the tests.
    globalSetup: ["test/global-setup.ts"],
    // ink draws only the final frame when CI is set; the prompt tests read every frame.
    env: { CI: "false" },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
