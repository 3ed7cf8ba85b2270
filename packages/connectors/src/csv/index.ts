/**
 * The `csv` converter: CSV to JSON and JSON to CSV.
 * @packageDocumentation
 */
import { CSV_CONTENT_TYPE, csv } from "./csv.js";

export { CsvConfig, CsvDirection } from "./config.js";
export { CSV_CONTENT_TYPE, csv };
export default csv;
