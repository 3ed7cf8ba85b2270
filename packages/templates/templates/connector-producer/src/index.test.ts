import { mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FatalError } from "@vrsky/sdk";
import { createTestMessage, runProducer } from "@vrsky/sdk/testing";
import { describeConformance } from "@vrsky/sdk/testing/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import connector from "./index.js";

const order: unknown = JSON.parse(
  await readFile(new URL("./__fixtures__/order.json", import.meta.url), "utf8"),
);

describe("{{name}}", () => {
  let directory = "";
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), "{{name}}-"));
  });
  afterAll(async () => rm(directory, { recursive: true, force: true }));

  it("writes a message to <id>.json", async () => {
    const message = await createTestMessage({ id: "m-1", json: order });
    const { delivered, failures } = await runProducer(connector, { directory }, [message]);
    expect(failures).toEqual([]);
    expect(delivered).toHaveLength(1);
    expect(JSON.parse(await readFile(join(directory, "m-1.json"), "utf8"))).toEqual(order);
  });

  it("writes a retried message once", async () => {
    const message = await createTestMessage({ id: "m-2", json: order });
    await runProducer(connector, { directory }, [message]);
    await runProducer(connector, { directory }, [message], { attempt: 2 });
    expect((await readdir(directory)).filter((f) => f.startsWith("m-2"))).toEqual(["m-2.json"]);
  });

  it("fails a message whose body is not JSON with a FatalError", async () => {
    const { failures } = await runProducer(connector, { directory }, [{ body: "not json" }]);
    expect(failures[0]?.error).toBeInstanceOf(FatalError);
  });
});

const conformanceDir = join(tmpdir(), `{{name}}-conformance-${process.pid}`);
describeConformance(connector, {
  config: { directory: conformanceDir },
  invalidConfigs: [{ config: { directory: "" }, reason: "directory must not be empty" }],
  fixtures: [{ json: order }],
  badInput: { body: "not json" },
  observe: async () => {
    const files = (await readdir(conformanceDir)).sort();
    return Promise.all(files.map(async (f) => [f, await readFile(join(conformanceDir, f), "utf8")]));
  },
  setup: async () => {
    await mkdir(conformanceDir, { recursive: true });
  },
  teardown: () => rm(conformanceDir, { recursive: true, force: true }),
});
