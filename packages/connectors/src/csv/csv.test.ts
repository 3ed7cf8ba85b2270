import { readFileSync } from "node:fs";
import { FatalError } from "@vrsky/sdk";
import { createTestMessage, MemoryBlobStore, runConverter } from "@vrsky/sdk/testing";
import { describeConformance } from "@vrsky/sdk/testing/vitest";
import { describe, expect, it } from "vitest";
import { comparableExample, readDocExamples, readFixtureExample } from "../json-transform/doc-example.js";
import csv from "./index.js";

const fixtures = new URL("./__fixtures__/", import.meta.url);
const csvInput = (name: string) => ({
  body: readFileSync(new URL(name, fixtures), "utf8"),
  contentType: "text/csv",
});
const toJson = { direction: "csv-to-json" };
const bodies = (messages: { json(): Promise<unknown> }[]) => Promise.all(messages.map((m) => m.json()));

describeConformance(csv, {
  config: { direction: "csv-to-json", cast: true },
  invalidConfigs: [
    { config: { direction: "json-to-csv", columns: true }, reason: "columns: true only reads a header" },
    { config: { direction: "json-to-csv", cast: true }, reason: "cast belongs to csv-to-json" },
    { config: { direction: "csv-to-json", quote: "''" }, reason: "quote is one character" },
    { config: { direction: "csv-to-json", output: "lines" }, reason: "output is array or rows" },
  ],
  fixtures: [csvInput("products.csv"), csvInput("windows-bom.csv")],
  badInput: csvInput("inconsistent-columns.csv"),
});

describeConformance(csv, {
  config: { direction: "json-to-csv" },
  fixtures: [
    {
      json: [
        { sku: "KB-01", price: 49.5 },
        { sku: "MS-07", price: 20, note: "new" },
      ],
    },
  ],
  badInput: { json: { sku: "KB-01" } },
});

describe("csv: csv-to-json", () => {
  it("names fields from the header, skipping a BOM and blank lines, with CRLF and quoted line breaks", async () => {
    const [out] = await runConverter(csv, toJson, csvInput("windows-bom.csv"));
    expect(out?.contentType).toBe("application/json");
    expect(await out?.json()).toEqual([
      { sku: "KB-01", name: "Keyboard", price: "49.50" },
      { sku: "MS-07", name: "Mouse\r\nwireless", price: "20" },
    ]);
  });

  it("names fields from columns when the file has no header", async () => {
    const config = { direction: "csv-to-json", columns: ["sku", "qty"], cast: true };
    const [out] = await runConverter(csv, config, { body: "KB-01,2\nMS-07,1\n" });
    expect(await out?.json()).toEqual([
      { sku: "KB-01", qty: 2 },
      { sku: "MS-07", qty: 1 },
    ]);
  });

  it("emits one message per row with output rows, and drops an empty file", async () => {
    const config = { direction: "csv-to-json", output: "rows" };
    const input = await createTestMessage({ ...csvInput("doc/price-list/input.csv"), id: "m1" });
    const out = await runConverter(csv, { ...config, delimiter: ";" }, input);
    expect(out.map((m) => m.id)).toEqual(["m1:0", "m1:1"]);
    expect(await bodies(out)).toMatchObject([{ sku: "KB-01" }, { sku: "MS-07" }]);
    expect(await runConverter(csv, config, { body: "sku,name\n" })).toEqual([]);
  });

  it("streams a claim-check body across chunk boundaries, even inside a multi-byte character", async () => {
    const rows = Array.from({ length: 2_000 }, (_, i) => `SKU-${i},"Café, no. ${i}",${i}.5`);
    const body = `sku,name,price\n${rows.join("\n")}\n`;
    const blobs = new MemoryBlobStore({ chunkSize: 997 });
    const input = await createTestMessage({ body, contentType: "text/csv", reference: true }, blobs);
    expect(input.isReference).toBe(true);
    const [out] = await runConverter(csv, { direction: "csv-to-json", cast: true }, input, { blobs });
    const parsed = (await out?.json()) as unknown[];
    expect(parsed).toHaveLength(2_000);
    expect(parsed.filter((row) => !JSON.stringify(row).includes("Café"))).toEqual([]);
    expect(parsed[1_999]).toEqual({ sku: "SKU-1999", name: "Café, no. 1999", price: 1999.5 });
  });

  it("dead-letters a record with the wrong number of fields, naming the line", async () => {
    const input = await createTestMessage({ ...csvInput("inconsistent-columns.csv"), id: "m2" });
    const run = runConverter(csv, toJson, input);
    await expect(run).rejects.toBeInstanceOf(FatalError);
    await expect(run).rejects.toThrow(/^message m2: malformed CSV at line 3: Invalid Record Length/);
  });

  it("dead-letters an unclosed quote and a duplicate header column", async () => {
    await expect(runConverter(csv, toJson, csvInput("unclosed-quote.csv"))).rejects.toThrow(
      /malformed CSV at line 2: Quote Not Closed/,
    );
    await expect(runConverter(csv, toJson, csvInput("duplicate-header.csv"))).rejects.toThrow(
      /CSV header \(line 1\), column 3: "sku" appears twice/,
    );
  });
});

describe("csv: json-to-csv", () => {
  it("writes every field in order of first appearance, with empty cells for missing and null", async () => {
    const input = {
      json: [
        { a: 1, b: true },
        { c: "x,y", a: null },
      ],
    };
    const [out] = await runConverter(csv, { direction: "json-to-csv" }, input);
    expect(out?.contentType).toBe("text/csv; charset=utf-8");
    expect(await out?.text()).toBe('a,b,c\n1,true,\n,,"x,y"\n');
    const [bare] = await runConverter(
      csv,
      { direction: "json-to-csv", header: false, delimiter: ";" },
      input,
    );
    expect(await bare?.text()).toBe("1;true;\n;;x,y\n");
  });

  it("refuses a body that is not an array of flat objects, naming the row and field", async () => {
    const config = { direction: "json-to-csv" };
    await expect(runConverter(csv, config, { json: { a: 1 } })).rejects.toThrow(
      /expects a JSON array of objects/,
    );
    await expect(runConverter(csv, config, { json: [{ a: 1 }, 2] })).rejects.toThrow(/row 1 is number/);
    await expect(runConverter(csv, config, { json: [{ a: { b: 1 } }] })).rejects.toThrow(
      /row 0, field `a` is an object/,
    );
  });
});

describe("docs/connectors/csv.md", () => {
  const examples = readDocExamples(new URL("../../../../docs/connectors/csv.md", import.meta.url));

  it("has a worked example for each direction", () => {
    expect(examples.map((e) => (e.config as { direction: string }).direction)).toEqual([
      "csv-to-json",
      "json-to-csv",
    ]);
  });

  for (const example of examples) {
    it(`example "${example.step}" matches its fixtures and its output is what the connector produces`, async () => {
      expect(comparableExample(example)).toEqual(comparableExample(readFixtureExample(fixtures, example)));
      const [out, ...rest] = await runConverter(csv, example.config, { body: example.input.text });
      expect(rest).toEqual([]);
      const text = (await out?.text()) ?? "";
      if (example.output.lang === "json") expect(JSON.parse(text)).toEqual(JSON.parse(example.output.text));
      else expect(text).toBe(`${example.output.text}\n`);
    });
  }
});
