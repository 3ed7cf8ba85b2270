import { ConfigError, FatalError, RetryableError } from "@vrsky/sdk";
import { DatabaseError } from "pg";

// SQLSTATE classes and codes whose failure is transient: the same statement can succeed later.
const RETRYABLE_CLASSES = new Set(["08", "53", "57", "58"]);
const RETRYABLE_CODES = new Set(["40001", "40P01", "55P03", "55006"]);
// Socket-level failures raised by Node before Postgres is reached.
const RETRYABLE_NODE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

/** Names of the SQLSTATE codes a sink or source most often meets, for messages. */
const CONDITION_NAMES: Readonly<Record<string, string>> = {
  "22001": "string_data_right_truncation",
  "22003": "numeric_value_out_of_range",
  "22004": "null_value_not_allowed",
  "22007": "invalid_datetime_format",
  "22008": "datetime_field_overflow",
  "22012": "division_by_zero",
  "22021": "character_not_in_repertoire",
  "22023": "invalid_parameter_value",
  "22P02": "invalid_text_representation",
  "22P05": "untranslatable_character",
  "23502": "not_null_violation",
  "23503": "foreign_key_violation",
  "23505": "unique_violation",
  "23514": "check_violation",
  "23P01": "exclusion_violation",
  "28000": "invalid_authorization_specification",
  "28P01": "invalid_password",
  "3D000": "invalid_catalog_name",
  "40001": "serialization_failure",
  "40P01": "deadlock_detected",
  "42501": "insufficient_privilege",
  "42703": "undefined_column",
  "42P01": "undefined_table",
  "42P10": "invalid_column_reference",
  "53100": "disk_full",
  "53300": "too_many_connections",
  "55006": "object_in_use",
  "57P01": "admin_shutdown",
};

/**
 * The SQLSTATE of a Postgres error, or the Node error code (`ECONNREFUSED`) of a socket error.
 * @param error - anything pg threw
 */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : undefined;
}

/**
 * `23505 unique_violation`: the code with its condition name when known.
 * @param code - a SQLSTATE
 */
export function showCode(code: string): string {
  const name = CONDITION_NAMES[code];
  return name === undefined ? code : `${code} ${name}`;
}

/**
 * Whether an error is a Postgres data error (SQLSTATE class 22) or integrity violation (class
 * 23): caused by the values sent, so the same values will always fail.
 * @param error - anything pg threw
 */
export function isDataError(error: unknown): boolean {
  const code = error instanceof DatabaseError ? error.code : undefined;
  return code !== undefined && (code.startsWith("22") || code.startsWith("23"));
}

/**
 * Whether an error is transient: a lost or refused connection, a server shutting down or out
 * of resources, a serialization failure or deadlock, a lock not available.
 * @param error - anything pg threw
 */
export function isTransientPgError(error: unknown): boolean {
  const code = errorCode(error);
  if (error instanceof DatabaseError) {
    if (code === undefined) return true;
    return RETRYABLE_CLASSES.has(code.slice(0, 2)) || RETRYABLE_CODES.has(code) || code.startsWith("28");
  }
  if (code !== undefined && RETRYABLE_NODE_CODES.has(code)) return true;
  // pg raises plain errors without a code when a connection drops mid-query or times out.
  const message = error instanceof Error ? error.message : "";
  return /connection terminated|timeout exceeded when trying to connect|connection timeout/i.test(message);
}

/**
 * Turns what pg threw into a typed error: {@link RetryableError} for transient failures, and
 * {@link FatalError} otherwise, with a message saying what failed, where and how to fix it.
 * Postgres messages are kept only for codes whose text holds no row values (schema and
 * permission errors); data errors are described by their code, never by the value.
 *
 * @param error - anything pg threw
 * @param where - what was being done, e.g. `insert into sales.orders`
 * @returns the typed error, with the original as `cause`; errors already typed are returned as they are
 */
export function classifyPgError(error: unknown, where: string): FatalError | RetryableError | ConfigError {
  // Already typed (thrown by our own checks, or by `emit`): kept as it is.
  if (error instanceof FatalError || error instanceof RetryableError || error instanceof ConfigError)
    return error;
  const code = errorCode(error);
  const reason = error instanceof Error ? error.message : String(error);
  if (isTransientPgError(error)) {
    const hint = code?.startsWith("28")
      ? ": check the user and password in connectionString (retried in case the credentials are being rotated)"
      : ": retried with backoff";
    return new RetryableError(`${where} failed: ${describe(error, reason)}${hint}`, { cause: error });
  }
  if (!(error instanceof DatabaseError) || code === undefined) {
    return new RetryableError(`${where} failed: ${reason}`, { cause: error });
  }
  return new FatalError(`${where} failed: ${describe(error, reason)}${fixFor(error)}`, { cause: error });
}

function describe(error: unknown, reason: string): string {
  const code = errorCode(error);
  if (!(error instanceof DatabaseError) || code === undefined) return code ? `${reason} (${code})` : reason;
  // Class 22 messages quote the rejected value ("invalid input syntax for type integer: "x"").
  if (code.startsWith("22")) {
    const column = error.column ? ` in column "${error.column}"` : "";
    return `the value${column} was rejected (${showCode(code)})`;
  }
  return `${reason} (${showCode(code)})`;
}

function fixFor(error: DatabaseError): string {
  const code = error.code ?? "";
  if (code === "42P01")
    return ": create the table, or fix `table` in the config (schema-qualify it if it is not on the search_path)";
  if (code === "42703")
    return ": add the column to the table, or map the field to an existing column with `columns`";
  if (code === "42501") return ": grant the privilege to the user in connectionString";
  if (code === "42P10")
    return ": `key` (or `idColumn`) must match the columns of a unique index or primary key of the table";
  if (code === "23502") return ": send a value for the column, or give it a default";
  if (code === "23505") return ': the row already exists; use mode "upsert" with `key` to update it instead';
  if (code.startsWith("23")) return ": fix the data so it satisfies the constraint";
  if (code.startsWith("22")) return ": send a value of the column's type";
  if (code === "3D000") return ": create the database, or fix the database name in connectionString";
  return "";
}
