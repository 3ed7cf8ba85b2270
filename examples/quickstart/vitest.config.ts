import { defineProject } from "vitest/config";

export default defineProject({
  resolve: { conditions: ["@vrsky/source"] },
  ssr: { resolve: { conditions: ["@vrsky/source"], externalConditions: ["@vrsky/source"] } },
  test: { name: "example-quickstart", include: ["*.test.ts"], testTimeout: 60_000 },
});
