import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { parseIntegrationSpec } from "./parse.js";

const FIXTURE = "packages/runtime/src/spec/__fixtures__/complete-example.yaml";
const doc = readFile(new URL("../../../../docs/integration-spec.md", import.meta.url), "utf8");
const fixture = readFile(new URL("__fixtures__/complete-example.yaml", import.meta.url), "utf8");

/** The fenced yaml block that follows the `<!-- spec-fixture: … -->` marker. */
function markedExample(markdown: string): string | undefined {
  const marker = markdown.indexOf(`<!-- spec-fixture: ${FIXTURE} -->`);
  if (marker < 0) return undefined;
  return /```yaml\n([\s\S]*?)```/.exec(markdown.slice(marker))?.[1];
}

describe("docs/integration-spec.md", () => {
  it("shows the complete example exactly as the fixture file", async () => {
    expect(markedExample(await doc)).toBe(await fixture);
  });

  it("has a complete example that parses, with settings equal to the defaults", async () => {
    const spec = parseIntegrationSpec(await fixture, { file: "complete-example.yaml" });
    expect(Object.keys(spec.sinks)).toEqual(["db", "slack"]);
    expect(spec.routes).toEqual({ big: ["db", "slack"], standard: ["db"] });
    const defaults = parseIntegrationSpec(
      "name: x\nsource: { connector: a }\nsinks: { b: { connector: c } }",
      {
        file: "defaults.yaml",
      },
    ).settings;
    expect(spec.settings).toEqual(defaults);
  });
});
