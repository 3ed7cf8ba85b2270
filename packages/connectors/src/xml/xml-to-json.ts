import { FatalError } from "@vrsky/sdk";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import type { XmlConfig } from "./config.js";

/** Longest excerpt of a parser message kept in a dead-letter reason. */
const MAX_REASON_LENGTH = 200;

// An internal DTD subset can declare entities that expand exponentially ("billion laughs") or
// reach outside the document (external entities). Integrations exchange data, not DTDs, so any
// entity declaration is refused before a parser sees the text.
const DOCTYPE = /<!DOCTYPE/i;
const ENTITY_DECLARATION = /<!ENTITY/i;

function excerpt(text: string): string {
  return text.length <= MAX_REASON_LENGTH ? text : `${text.slice(0, MAX_REASON_LENGTH)}…`;
}

/**
 * Builds the parser for an `xml-to-json` step.
 * @param config - the step's parsed config (its xml-to-json options)
 * @returns a function from XML text to a JSON value
 */
export function createXmlToJson(config: XmlConfig): (xml: string, messageId: string) => unknown {
  const arrayPaths = new Set(config.isArray ?? []);
  const parser = new XMLParser({
    attributeNamePrefix: config.attributePrefix,
    ignoreAttributes: config.ignoreAttributes,
    textNodeName: config.textNodeName,
    removeNSPrefix: config.removeNSPrefix ?? false,
    parseTagValue: config.parseValues ?? false,
    parseAttributeValue: config.parseValues ?? false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    // Decodes numeric character references (`&#65;`) besides the five predefined entities.
    htmlEntities: true,
    isArray: (_name, jPath, _isLeaf, isAttribute) =>
      isAttribute !== true && typeof jPath === "string" && arrayPaths.has(jPath),
  });

  return (xml, messageId) => {
    if (DOCTYPE.test(xml) && ENTITY_DECLARATION.test(xml)) {
      throw new FatalError(
        `message ${messageId}: XML entity declarations are not accepted (<!ENTITY> in the DOCTYPE); ` +
          "send the document without an internal DTD subset",
      );
    }
    const valid = XMLValidator.validate(xml);
    if (valid !== true) {
      const { line, col, msg } = valid.err;
      throw new FatalError(
        `message ${messageId}: invalid XML at line ${line}, column ${col ?? 1}: ${excerpt(msg)}`,
      );
    }
    try {
      return parser.parse(xml) as unknown;
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new FatalError(`message ${messageId}: XML cannot be converted to JSON: ${excerpt(reason)}`, {
        cause,
      });
    }
  };
}
