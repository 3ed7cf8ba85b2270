/**
 * The `json-transform` converter: reshape JSON bodies with JSONata.
 * @packageDocumentation
 */
import { jsonTransform } from "./json-transform.js";

export { JsonTransformConfig } from "./config.js";
export { jsonTransform };
export default jsonTransform;
