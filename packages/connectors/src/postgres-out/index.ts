/**
 * The `postgres-out` producer: inserts or upserts JSON messages as rows of a Postgres table.
 * @packageDocumentation
 */
import { postgresOut } from "./postgres-out.js";

export { BodyPath, ColumnCast, ColumnSource, PostgresOutConfig } from "./config.js";
export type { PostgresOutResources } from "./postgres-out.js";
export { postgresOut };
export default postgresOut;
