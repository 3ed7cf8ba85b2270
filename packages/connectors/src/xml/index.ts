/**
 * The `xml` converter: XML to JSON and JSON to XML.
 * @packageDocumentation
 */
import { XML_CONTENT_TYPE, xml } from "./xml.js";

export { XmlConfig, XmlDirection } from "./config.js";
export { XML_CONTENT_TYPE, xml };
export default xml;
