import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSpecFile } from "./spec-file.js";

const yaml = `name: orders # the id
source: { connector: file-in, config: { directory: in } }
sinks:
  out: { connector: file-out, config: { directory: out } }
`;

describe("readSpecFile", () => {
  let dir = "";
  const write = async (name: string, text: string): Promise<string> => {
    const file = join(dir, name);
    await writeFile(file, text);
    return file;
  };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "vrsky-spec-file-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("returns the text as written with the spec's name and format", async () => {
    const file = await write("orders.yml", yaml);
    expect(await readSpecFile(file)).toEqual({
      file,
      spec: yaml,
      format: "yaml",
      name: "orders",
      renamedFrom: undefined,
    });
  });

  it("with a name rewrites only the name's value, in YAML and in JSON", async () => {
    const file = await write("orders.yaml", yaml);
    const renamed = await readSpecFile(file, { name: "orders-staging" });
    expect(renamed).toMatchObject({ name: "orders-staging", renamedFrom: "orders" });
    expect(renamed.spec).toBe(yaml.replace("name: orders", 'name: "orders-staging"'));

    const json = `{\n  "name": "orders",\n  "source": { "connector": "file-in", "config": { "directory": "in" } },\n  "sinks": { "out": { "connector": "file-out", "config": { "directory": "out" } } }\n}\n`;
    const jsonFile = await write("orders.json", json);
    const fromJson = await readSpecFile(jsonFile, { name: "orders-eu" });
    expect(fromJson).toMatchObject({ format: "json", name: "orders-eu" });
    expect(fromJson.spec).toBe(json.replace('"name": "orders"', '"name": "orders-eu"'));
  });

  it("refuses a name written in a way it cannot rewrite, saying how to fix it", async () => {
    const file = await write("anchored.yaml", yaml.replace("name: orders", "name: &id orders"));
    await expect(readSpecFile(file, { name: "other" })).rejects.toMatchObject({
      code: "INVALID_INPUT",
      suggestions: [`set \`name: other\` in ${file}, or leave out --name`],
    });
  });

  it("refuses other extensions, invalid names and missing files before parsing", async () => {
    await expect(readSpecFile(join(dir, "spec.ts"))).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(readSpecFile(join(dir, "orders.yml"), { name: "Bad" })).rejects.toMatchObject({
      code: "INVALID_INPUT",
    });
    await expect(readSpecFile(join(dir, "missing.yaml"))).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: expect.stringContaining("(ENOENT)"),
    });
  });
});
