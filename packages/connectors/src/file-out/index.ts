/**
 * The `file-out` producer: a file per message, or a line per message appended to a file.
 * @packageDocumentation
 */
import { fileOut } from "./file-out.js";

export { FieldPath, FileOutConfig } from "./config.js";
export { FileNameTemplate, FileNameTemplateError } from "./file-name-template.js";
export type { FileOutResources } from "./file-out.js";
export { fileOut };
export default fileOut;
