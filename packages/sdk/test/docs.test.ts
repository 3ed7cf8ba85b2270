import { randomUUID } from "node:crypto";
import { mkdir, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Connector } from "@vrsky/sdk";
import { type ConformanceOptions, checkConformance, formatConformanceReport } from "@vrsky/sdk/testing";
import { afterAll, describe, expect, it } from "vitest";
import amountRouter from "./__fixtures__/docs/amount-router.js";
import fileSink from "./__fixtures__/docs/file-sink.js";
import pickFields from "./__fixtures__/docs/pick-fields.js";
import ticker from "./__fixtures__/docs/ticker.js";

const root = resolve(fileURLToPath(import.meta.url), "../../../..");
const samples = join(root, "packages/sdk/test/__fixtures__/docs");
const EXAMPLE = /<!-- example: (\S+) -->\n```ts\n([\s\S]*?)```\n<!-- \/example -->/g;

async function examples(): Promise<{ path: string; block: string }[]> {
  const guide = await readFile(join(root, "docs/sdk.md"), "utf8");
  return [...guide.matchAll(EXAMPLE)].map(([, path = "", block = ""]) => ({ path, block }));
}

describe("docs/sdk.md", () => {
  it("shows every sample file byte for byte as it is on disk", async () => {
    const found = await examples();
    expect(found.length).toBeGreaterThan(0);
    for (const { path, block } of found) {
      expect(block, `the block for ${path} differs from the file: copy the file into docs/sdk.md`).toBe(
        await readFile(join(root, path), "utf8"),
      );
    }
  });

  it("includes every sample file at least once", async () => {
    const shown = new Set((await examples()).map((e) => e.path));
    const files = (await readdir(samples)).map((f) => relative(root, join(samples, f)));
    expect(files.filter((f) => !shown.has(f))).toEqual([]);
  });
});

describe("the sample connectors of the guide", () => {
  const directory = join(tmpdir(), `vrsky-docs-${randomUUID()}`);
  afterAll(() => rm(directory, { recursive: true, force: true }));
  const cases: [Connector, ConformanceOptions][] = [
    [ticker, { config: { intervalMs: 0 } }],
    [
      fileSink,
      {
        config: { directory },
        fixtures: [{ json: { id: 1 } }],
        badInput: { body: "not json" },
        setup: async () => {
          await mkdir(directory, { recursive: true });
        },
        observe: async () => (await readdir(directory)).sort(),
      },
    ],
    [
      pickFields,
      { config: { fields: ["id"] }, fixtures: [{ json: { id: 1, x: 2 } }], badInput: { body: "[1]" } },
    ],
    [
      amountRouter,
      { config: { threshold: 10 }, fixtures: [{ json: { amount: 12 } }], badInput: { body: "{" } },
    ],
  ];

  it.each(cases.map(([connector, options]) => ({ name: connector.name, connector, options })))(
    "$name passes every conformance check, none skipped",
    async ({ connector, options }) => {
      const report = await checkConformance(connector, options);
      const text = formatConformanceReport(report);
      expect(report.ok, text).toBe(true);
      expect(
        report.checks.filter((c) => c.skipped).map((c) => c.name),
        text,
      ).toEqual([]);
    },
  );
});
