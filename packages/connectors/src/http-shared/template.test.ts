import { FatalError } from "@vrsky/sdk";
import { describe, expect, it } from "vitest";
import { JsonTemplate } from "./json-template.js";
import { Template, TemplateSyntaxError } from "./template.js";

const scope = {
  id: "m-1",
  headers: { "X-Region": "eu" },
  body: { order: { id: "A 1", total: 42, items: [{ sku: "KB" }], note: null }, tags: ["a", "b"] },
};

describe("Template", () => {
  it("fills body paths, array indexes, the id and headers (case-insensitively)", () => {
    const template = Template.compile(
      "{{order.id}}|{{ order.items.0.sku }}|{{ $id }}|{{ $header.x-region }}",
      "t",
    );
    expect(template.render(scope)).toBe("A 1|KB|m-1|eu");
  });

  it("encodes only substituted values and writes objects as JSON", () => {
    const template = Template.compile("/o/{{ order.id }}?t={{ tags }}&n={{ order.note }}", "url");
    expect(template.render(scope, encodeURIComponent)).toBe("/o/A%201?t=%5B%22a%22%2C%22b%22%5D&n=null");
  });

  it("rejects placeholders that do not parse, naming the field", () => {
    for (const text of [
      "{{ }}",
      "{{ a..b }}",
      "{{ $env.HOME }}",
      "{{ __proto__.x }}",
      "{{ a",
      "a }}",
      "{{ a b }}",
    ]) {
      expect(() => Template.compile(text, "headers.x")).toThrow(TemplateSyntaxError);
    }
    expect(() => Template.compile("{{ $env }}", "headers.x")).toThrow(/^headers\.x: /);
  });

  it("throws a FatalError for a value the message does not have, without reading the prototype", () => {
    expect(() => Template.compile("{{ order.missing }}", "text").render(scope)).toThrow(FatalError);
    expect(() => Template.compile("{{ order.constructors }}", "text").render(scope)).toThrow(FatalError);
    expect(() => Template.compile("{{ tags.x }}", "text").render(scope)).toThrow(FatalError);
  });
});

describe("JsonTemplate", () => {
  it("keeps the type of whole-value placeholders and escapes values inside strings", () => {
    const template = JsonTemplate.compile(
      { total: "{{ order.total }}", label: 'say "{{ order.id }}"', n: 1 },
      "body",
    );
    expect(template.needsBody).toBe(true);
    expect(JSON.stringify(template.render(scope))).toBe('{"total":42,"label":"say \\"A 1\\"","n":1}');
  });
});
