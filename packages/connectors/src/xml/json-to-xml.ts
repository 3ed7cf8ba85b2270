import { FatalError } from "@vrsky/sdk";
import { XMLBuilder, XMLValidator } from "fast-xml-parser";
import type { XmlConfig } from "./config.js";

/** The XML declaration written when `declaration` is on. */
export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/** An XML element or attribute name (the ASCII and Unicode letter ranges of XML 1.0 `Name`). */
const XML_NAME = /^[A-Za-z_:\u00C0-\uFFFF][\w.:\u00B7\u00C0-\uFFFF-]*$/u;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Checks every key that will become an element or attribute name, so a JSON key such as
 * `"a b"` or `"<x"` fails with its path instead of producing malformed or injected XML.
 */
function checkNames(value: unknown, path: string, config: XmlConfig, where: string): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      checkNames(item, `${path}[${index}]`, config, where);
    });
    return;
  }
  if (!isPlainObject(value)) return;
  for (const [key, child] of Object.entries(value)) {
    const at = path === "" ? key : `${path}.${key}`;
    if (key === config.textNodeName) continue;
    const isAttribute = key.startsWith(config.attributePrefix);
    if (isAttribute && config.ignoreAttributes) continue;
    const name = isAttribute ? key.slice(config.attributePrefix.length) : key;
    if (!XML_NAME.test(name)) {
      throw new FatalError(
        `${where}: field \`${at}\` cannot become an XML ${isAttribute ? "attribute" : "element"}: ` +
          `"${name.slice(0, 40)}" is not a valid XML name`,
      );
    }
    if (!isAttribute) checkNames(child, at, config, where);
  }
}

/**
 * Builds the serialiser for a `json-to-xml` step.
 * @param config - the step's parsed config
 * @returns a function from a JSON value to XML text
 */
export function createJsonToXml(config: XmlConfig): (value: unknown, messageId: string) => string {
  const builder = new XMLBuilder({
    attributeNamePrefix: config.attributePrefix,
    ignoreAttributes: config.ignoreAttributes,
    textNodeName: config.textNodeName,
    format: config.pretty ?? false,
    indentBy: "  ",
    suppressEmptyNode: true,
  });

  return (value, messageId) => {
    const where = `message ${messageId}`;
    const document: unknown = config.rootElement === undefined ? value : { [config.rootElement]: value };
    if (!isPlainObject(document)) {
      throw new FatalError(
        `${where}: the JSON body is ${Array.isArray(document) ? "an array" : `a ${typeof document}`}; ` +
          "XML needs one root element: set `rootElement` or send an object with one key",
      );
    }
    const roots = Object.keys(document);
    if (roots.length !== 1) {
      throw new FatalError(
        `${where}: the JSON body has ${roots.length} top-level fields; XML needs exactly one root element: ` +
          "set `rootElement` to wrap them",
      );
    }
    const [root] = roots;
    if (root !== undefined && Array.isArray(document[root])) {
      throw new FatalError(
        `${where}: the root \`${root}\` is an array, which would make several root elements; ` +
          'wrap it first, e.g. with json-transform `{ "orders": { "order": $ } }`',
      );
    }
    checkNames(document, "", config, where);
    let xml: string;
    try {
      xml = builder.build(document);
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new FatalError(`${where}: JSON cannot be converted to XML: ${reason}`, { cause });
    }
    const valid = XMLValidator.validate(xml);
    if (valid !== true) {
      throw new FatalError(`${where}: JSON cannot be converted to valid XML: ${valid.err.msg}`);
    }
    const body = xml.trimEnd();
    return (config.declaration ?? true) ? `${XML_DECLARATION}\n${body}\n` : `${body}\n`;
  };
}
