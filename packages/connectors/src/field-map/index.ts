/**
 * The `field-map` converter: reshape JSON objects by dotted path.
 * @packageDocumentation
 */
import { fieldMap } from "./field-map.js";

export { FieldMapConfig } from "./config.js";
export { fieldMap };
export default fieldMap;
