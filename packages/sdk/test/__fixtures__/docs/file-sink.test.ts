import { randomUUID } from "node:crypto";
import { mkdir, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FatalError } from "@vrsky/sdk";
import { createTestMessage, runProducer } from "@vrsky/sdk/testing";
import { describeConformance } from "@vrsky/sdk/testing/vitest";
import { afterAll, describe, expect, it } from "vitest";
import fileSink from "./file-sink.js";

const directory = join(tmpdir(), `vrsky-file-sink-${randomUUID()}`);
afterAll(() => rm(directory, { recursive: true, force: true }));

/** What a user of the target sees: every file and its content. */
async function files(): Promise<Record<string, string>> {
  const names = (await readdir(directory).catch(() => [])).sort();
  return Object.fromEntries(
    await Promise.all(names.map(async (n) => [n, await readFile(join(directory, n), "utf8")])),
  );
}

describe("file-sink", () => {
  it("writes one pretty-printed file per message, named after its id", async () => {
    const msg = await createTestMessage({ id: "order-1", json: { total: 5 } });
    const { delivered } = await runProducer(fileSink, { directory }, [msg]);
    expect(delivered).toHaveLength(1);
    expect(await readFile(join(directory, "order-1.json"), "utf8")).toBe('{\n  "total": 5\n}\n');
  });

  it("dead-letters a body that is not JSON", async () => {
    const { failures } = await runProducer(fileSink, { directory }, [{ body: "{oops" }]);
    expect(failures[0]?.error).toBeInstanceOf(FatalError);
  });
});

describeConformance(fileSink, {
  config: { directory },
  fixtures: [{ json: { id: 1, total: 5 } }, { json: ["a", "b"] }],
  badInput: { body: "not json" },
  observe: files,
  setup: () => mkdir(directory, { recursive: true }).then(() => undefined),
});
