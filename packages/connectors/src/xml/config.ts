import { z } from "@vrsky/sdk";
import { rejectOtherDirectionOptions } from "../direction-options.js";

/** Keys fast-xml-parser refuses as prefixes or node names, because they reach `Object.prototype`. */
const RESERVED_KEYS = new Set([
  "__proto__",
  "constructor",
  "prototype",
  "hasownproperty",
  "tostring",
  "valueof",
]);

const notReserved = (value: string): boolean => !RESERVED_KEYS.has(value.toLowerCase());

/** The two conversions of the `xml` converter. */
export const XmlDirection = z.enum(["xml-to-json", "json-to-xml"]);
/** One of {@link XmlDirection}. */
export type XmlDirection = z.infer<typeof XmlDirection>;

/** XML element path from the root, dotted: `orders.order.line`. */
const ElementPath = z
  .string()
  .regex(/^[^.\s]+(\.[^.\s]+)*$/, "expected a dotted element path from the root, e.g. `orders.order.line`");

const XmlConfigFields = z.strictObject({
  direction: XmlDirection.describe(
    "`xml-to-json` parses an XML body into JSON; `json-to-xml` serialises a JSON body as XML.",
  ).meta({ examples: ["xml-to-json", "json-to-xml"] }),
  attributePrefix: z
    .string()
    .refine(notReserved, "must not be a JavaScript built-in property name")
    .default("@_")
    .describe(
      'Prefix of the JSON keys that are XML attributes (`id="7"` ⇄ `"@_id": "7"`). ' +
        "May be empty for xml-to-json only.",
    )
    .meta({ examples: ["@_", "@"] }),
  ignoreAttributes: z
    .boolean()
    .default(false)
    .describe("Leave XML attributes (or, for json-to-xml, prefixed keys) out.")
    .meta({ examples: [false] }),
  textNodeName: z
    .string()
    .min(1)
    .refine(notReserved, "must not be a JavaScript built-in property name")
    .default("#text")
    .describe("JSON key holding an element's text when the element also has attributes or children.")
    .meta({ examples: ["#text", "_value"] }),
  removeNSPrefix: z
    .boolean()
    .optional()
    .describe("xml-to-json: strip namespace prefixes (`soap:Body` becomes `Body`) and `xmlns` attributes.")
    .meta({ default: false, examples: [true] }),
  isArray: z
    .array(ElementPath)
    .optional()
    .describe(
      "xml-to-json: element paths (dotted, from the root, after prefix stripping) that always become " +
        "arrays, even when the document holds only one such element.",
    )
    .meta({ default: [], examples: [["orders.order", "orders.order.line"]] }),
  parseValues: z
    .boolean()
    .optional()
    .describe(
      "xml-to-json: turn numeric and boolean text into numbers and booleans. Off by default: `007` would lose digits.",
    )
    .meta({ default: false, examples: [false] }),
  rootElement: z
    .string()
    .regex(/^[A-Za-z_][\w.-]*$/, "expected an XML element name such as `order`")
    .optional()
    .describe(
      "json-to-xml: wrap the body in an element of this name. Without it the body must be an object " +
        "with exactly one key, the root.",
    )
    .meta({ examples: ["order"] }),
  pretty: z
    .boolean()
    .optional()
    .describe("json-to-xml: indent with two spaces, one element per line.")
    .meta({ default: false, examples: [true] }),
  declaration: z
    .boolean()
    .optional()
    .describe('json-to-xml: start the document with `<?xml version="1.0" encoding="UTF-8"?>`.')
    .meta({ default: true, examples: [true] }),
});

// Options that only one direction reads; giving one with the other direction is a mistake to report,
// so they carry no zod default (the handler applies the documented default).
const ONLY: Readonly<Record<XmlDirection, readonly (keyof z.infer<typeof XmlConfigFields>)[]>> = {
  "xml-to-json": ["removeNSPrefix", "isArray", "parseValues"],
  "json-to-xml": ["rootElement", "pretty", "declaration"],
};

/**
 * Config of the `xml` converter. One flat object (so specs and forms see a plain map); options
 * of the other direction are rejected.
 * @example
 * ```ts
 * XmlConfig.parse({ direction: "xml-to-json", removeNSPrefix: true, isArray: ["orders.order"] });
 * ```
 */
export const XmlConfig = XmlConfigFields.superRefine((config, ctx) => {
  rejectOtherDirectionOptions(config, ONLY, ctx);
  if (config.direction === "json-to-xml" && config.attributePrefix === "") {
    ctx.addIssue({
      code: "custom",
      path: ["attributePrefix"],
      message: "must not be empty for json-to-xml: every key would become an attribute",
    });
  }
});
/** Parsed config of the `xml` converter. */
export type XmlConfig = z.infer<typeof XmlConfig>;
