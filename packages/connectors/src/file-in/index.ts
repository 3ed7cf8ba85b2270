/**
 * The `file-in` consumer: files from a directory, whole or line by line.
 * @packageDocumentation
 */
import { fileIn } from "./file-in.js";

export { FileInCheckpoint, FileInConfig } from "./config.js";
export { fileIn };
export default fileIn;
