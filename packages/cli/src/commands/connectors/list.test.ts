import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseJson, runCli } from "../../../test/run-cli.js";
import type { ConnectorsListResult } from "./list.js";

const project = fileURLToPath(new URL("../../../test/__fixtures__/shout-project/", import.meta.url));

describe("vrsky connectors list", () => {
  it("lists the built-in catalog and the current project's connector, filtered by kind", async () => {
    const run = await runCli(["connectors", "list", "--kind", "converter", "--json"], { cwd: project });
    expect(run.code).toBe(0);
    const { connectors, warnings } = parseJson<ConnectorsListResult>(run);
    expect(warnings).toEqual([]);
    expect(connectors.every((c) => c.kind === "converter")).toBe(true);
    expect(connectors.filter((c) => c.source === "builtin").length).toBeGreaterThan(0);
    expect(connectors.find((c) => c.source === "local")).toMatchObject({
      name: "shout",
      version: "1.2.3",
      path: "src/index.ts",
      manifest: { kind: "converter", examples: [{ title: "Exclaim" }] },
    });
  });
});
