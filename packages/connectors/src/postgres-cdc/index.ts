/**
 * The `postgres-cdc` consumer: row changes of Postgres tables via logical replication.
 * @packageDocumentation
 */
import { postgresCdc } from "./postgres-cdc.js";

export type { ChangeEvent, RowImage } from "./change-event.js";
export { ChangeOperation } from "./change-event.js";
export { PostgresCdcCheckpoint, PostgresCdcConfig } from "./config.js";
export { postgresCdc };
export default postgresCdc;
