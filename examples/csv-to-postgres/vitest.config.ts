import { defineProject } from "vitest/config";

export default defineProject({
  resolve: { conditions: ["@vrsky/source"] },
  ssr: { resolve: { conditions: ["@vrsky/source"], externalConditions: ["@vrsky/source"] } },
  test: { name: "example-csv-to-postgres", include: ["*.test.ts"], testTimeout: 60_000, hookTimeout: 60_000 },
});
