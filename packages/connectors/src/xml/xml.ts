import { defineConverter, JSON_CONTENT_TYPE, type Message } from "@vrsky/sdk";
import { XmlConfig } from "./config.js";
import { createJsonToXml } from "./json-to-xml.js";
import { createXmlToJson } from "./xml-to-json.js";

/** Content type of the XML bodies `json-to-xml` writes. */
export const XML_CONTENT_TYPE = "application/xml; charset=utf-8";

/** The converter function one step uses, chosen by `direction` at start. */
type XmlConversion = (
  message: Message,
  signal: AbortSignal,
) => Promise<{ body: string; contentType: string }>;

/**
 * `xml`: converts XML bodies to JSON and back with fast-xml-parser.
 *
 * `xml-to-json` validates the document (a malformed one is dead-lettered with its line and
 * column), refuses entity declarations (billion-laughs and external-entity attacks) and maps
 * attributes to prefixed keys. `json-to-xml` writes one root element, checking every key is a
 * valid XML name. Headers are kept.
 *
 * @throws FatalError for malformed XML, entity declarations, or JSON that cannot be XML
 * @example
 * ```yaml
 * - name: orders-to-json
 *   connector: xml
 *   config: { "direction": "xml-to-json", "isArray": ["orders.order"] }
 * ```
 */
export const xml = defineConverter<XmlConfig, XmlConversion>({
  name: "xml",
  version: "1.0.0",
  description: "Converts XML bodies to JSON and JSON bodies to XML, rejecting entity-expansion attacks.",
  categories: ["xml", "format"],
  icon: "code",
  config: XmlConfig,
  examples: [
    {
      title: "Parse SOAP responses, always treating order lines as a list",
      config: { direction: "xml-to-json", removeNSPrefix: true, isArray: ["Envelope.Body.Orders.Order"] },
    },
    {
      title: "Write orders as indented XML under an <order> root",
      config: { direction: "json-to-xml", rootElement: "order", pretty: true },
    },
  ],
  init(ctx) {
    const config = ctx.config;
    if (config.direction === "xml-to-json") {
      const toJson = createXmlToJson(config);
      return async (message, signal) => ({
        body: JSON.stringify(toJson(await message.text({ signal }), message.id)),
        contentType: JSON_CONTENT_TYPE,
      });
    }
    const toXml = createJsonToXml(config);
    return async (message, signal) => ({
      body: toXml(await message.json({ signal }), message.id),
      contentType: XML_CONTENT_TYPE,
    });
  },
  convert(message, ctx) {
    return ctx.resources(message, ctx.signal);
  },
});
