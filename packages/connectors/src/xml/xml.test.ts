import { readFileSync } from "node:fs";
import { FatalError } from "@vrsky/sdk";
import { createTestMessage, runConverter } from "@vrsky/sdk/testing";
import { describeConformance } from "@vrsky/sdk/testing/vitest";
import { describe, expect, it } from "vitest";
import { comparableExample, readDocExamples, readFixtureExample } from "../json-transform/doc-example.js";
import xml from "./index.js";

const fixtures = new URL("./__fixtures__/", import.meta.url);
const fixture = (name: string): string => readFileSync(new URL(name, fixtures), "utf8");
const xmlInput = (name: string) => ({ body: fixture(name), contentType: "application/xml" });

describeConformance(xml, {
  config: { direction: "xml-to-json", removeNSPrefix: true },
  invalidConfigs: [
    { config: { direction: "yaml-to-json" }, reason: "direction is not one of the two" },
    { config: { direction: "xml-to-json", pretty: true }, reason: "pretty belongs to json-to-xml" },
    {
      config: { direction: "xml-to-json", textNodeName: "__proto__" },
      reason: "textNodeName is a built-in name",
    },
    {
      config: { direction: "json-to-xml", rootElement: "1st order" },
      reason: "rootElement is not an XML name",
    },
  ],
  fixtures: [xmlInput("soap-response.xml"), xmlInput("doc/orders-to-json/input.xml")],
  badInput: xmlInput("unclosed-tag.xml"),
});

describeConformance(xml, {
  config: { direction: "json-to-xml", rootElement: "order" },
  fixtures: [{ json: { id: "A-1001", line: [{ sku: "KB-01" }, { sku: "MS-07" }] } }],
  badInput: { json: ["not", "one", "root"] },
});

describe("xml: xml-to-json", () => {
  it("rejects a billion-laughs document before expanding anything", async () => {
    const input = await createTestMessage({ ...xmlInput("billion-laughs.xml"), id: "m1" });
    const run = runConverter(xml, { direction: "xml-to-json" }, input);
    await expect(run).rejects.toBeInstanceOf(FatalError);
    await expect(run).rejects.toThrow(/^message m1: XML entity declarations are not accepted/);
  });

  it("rejects an external entity declaration", async () => {
    await expect(
      runConverter(xml, { direction: "xml-to-json" }, xmlInput("external-entity.xml")),
    ).rejects.toThrow(/XML entity declarations are not accepted/);
  });

  it("dead-letters malformed XML with the line and column of the problem", async () => {
    await expect(
      runConverter(xml, { direction: "xml-to-json" }, xmlInput("unclosed-tag.xml")),
    ).rejects.toThrow(/invalid XML at line 4, column \d+: Expected closing tag 'customer'/);
    await expect(runConverter(xml, { direction: "xml-to-json" }, { body: "" })).rejects.toThrow(
      /invalid XML at line 1/,
    );
  });

  it("strips namespaces, forces listed paths to arrays, keeps CDATA and decodes character references", async () => {
    const config = {
      direction: "xml-to-json",
      removeNSPrefix: true,
      isArray: ["Envelope.Body.Orders.Order"],
    };
    const [out] = await runConverter(xml, config, xmlInput("soap-response.xml"));
    expect(out?.contentType).toBe("application/json");
    expect(await out?.json()).toEqual({
      Envelope: {
        Body: {
          Orders: {
            Order: [
              {
                "@_status": "open",
                Id: "A-1001",
                Total: { "@_currency": "EUR", "#text": "143.99" },
                Note: "Leave at <door>",
                Sign: "© ACME",
              },
            ],
          },
        },
      },
    });
  });

  it("casts numbers and booleans only with parseValues, and honours attribute options", async () => {
    const body = '<item id="7" active="true"><qty>3</qty><code>007</code></item>';
    const [plain] = await runConverter(xml, { direction: "xml-to-json" }, { body });
    expect(await plain?.json()).toEqual({ item: { "@_id": "7", "@_active": "true", qty: "3", code: "007" } });
    const [parsed] = await runConverter(
      xml,
      { direction: "xml-to-json", parseValues: true, attributePrefix: "" },
      {
        body,
      },
    );
    expect(await parsed?.json()).toEqual({ item: { id: 7, active: true, qty: 3, code: 7 } });
    const [bare] = await runConverter(xml, { direction: "xml-to-json", ignoreAttributes: true }, { body });
    expect(await bare?.json()).toEqual({ item: { qty: "3", code: "007" } });
  });
});

describe("xml: json-to-xml", () => {
  it("writes compact XML with a declaration by default, and without one on request", async () => {
    const input = { json: { order: { "@_id": "7", note: null, sku: ["a", "b & c"] } } };
    const [out] = await runConverter(xml, { direction: "json-to-xml" }, input);
    expect(out?.contentType).toBe("application/xml; charset=utf-8");
    expect(await out?.text()).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<order id="7"><note/><sku>a</sku><sku>b &amp; c</sku></order>\n',
    );
    const [bare] = await runConverter(xml, { direction: "json-to-xml", declaration: false }, input);
    expect(await bare?.text()).toMatch(/^<order id="7">/);
  });

  it("needs exactly one root: several top-level fields are refused unless rootElement wraps them", async () => {
    const input = { json: { id: 1, total: 2 } };
    await expect(runConverter(xml, { direction: "json-to-xml" }, input)).rejects.toThrow(
      /2 top-level fields; XML needs exactly one root element: set `rootElement`/,
    );
    const [out] = await runConverter(
      xml,
      { direction: "json-to-xml", rootElement: "order", declaration: false },
      input,
    );
    expect(await out?.text()).toBe("<order><id>1</id><total>2</total></order>\n");
    await expect(runConverter(xml, { direction: "json-to-xml" }, { json: "text" })).rejects.toThrow(
      /a string/,
    );
  });

  it("refuses a key that is not an XML name, naming its path", async () => {
    const input = { json: { order: { lines: [{ "unit price": 5 }] } } };
    await expect(runConverter(xml, { direction: "json-to-xml" }, input)).rejects.toThrow(
      /field `order.lines\[0\].unit price` cannot become an XML element: "unit price" is not a valid XML name/,
    );
    await expect(
      runConverter(xml, { direction: "json-to-xml" }, { json: { order: { "@_a<b": "x" } } }),
    ).rejects.toThrow(/cannot become an XML attribute/);
  });
});

describe("docs/connectors/xml.md", () => {
  const examples = readDocExamples(new URL("../../../../docs/connectors/xml.md", import.meta.url));

  it("has a worked example for each direction", () => {
    expect(examples.map((e) => (e.config as { direction: string }).direction)).toEqual([
      "xml-to-json",
      "json-to-xml",
    ]);
  });

  for (const example of examples) {
    it(`example "${example.step}" matches its fixtures and its output is what the connector produces`, async () => {
      expect(comparableExample(example)).toEqual(comparableExample(readFixtureExample(fixtures, example)));
      const [out, ...rest] = await runConverter(xml, example.config, { body: example.input.text });
      expect(rest).toEqual([]);
      const text = (await out?.text()) ?? "";
      if (example.output.lang === "json") expect(JSON.parse(text)).toEqual(JSON.parse(example.output.text));
      else expect(text).toBe(`${example.output.text}\n`);
    });
  }
});
