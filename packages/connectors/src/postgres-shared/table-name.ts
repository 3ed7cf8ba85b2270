import { z } from "@vrsky/sdk";
import { escapeIdentifier } from "pg";

/** A table named in a config: its schema (if given) and name, unquoted. */
export interface TableName {
  /** Schema, or `undefined` to resolve the table through the `search_path`. */
  readonly schema: string | undefined;
  /** Table name. */
  readonly name: string;
}

// A part is a bare identifier (any characters but `.` and `"`) or a double-quoted one in which
// `""` stands for a quote, as Postgres writes them.
const PART = '(?:"((?:[^"]|"")+)"|([^".]+))';
const QUALIFIED = new RegExp(`^${PART}(?:\\.${PART})?$`);
const MAX_IDENTIFIER = 63;

/**
 * Parses `orders`, `sales.orders` or `"Sales"."Order lines"`. Bare parts are folded to lower
 * case, as Postgres folds unquoted names; quoted parts are kept exactly.
 * @param text - the table as written in the config
 * @returns the parts, or `undefined` if the text is not a table name
 */
export function parseTableName(text: string): TableName | undefined {
  const match = QUALIFIED.exec(text.trim());
  if (!match) return undefined;
  const part = (quoted: string | undefined, bare: string | undefined): string | undefined =>
    quoted === undefined ? bare?.trim().toLowerCase() : quoted.replaceAll('""', '"');
  const first = part(match[1], match[2]);
  const second = part(match[3], match[4]);
  if (first === undefined || first === "") return undefined;
  const table = second === undefined ? { schema: undefined, name: first } : { schema: first, name: second };
  if (table.name === "" || table.name.length > MAX_IDENTIFIER) return undefined;
  if (table.schema !== undefined && (table.schema === "" || table.schema.length > MAX_IDENTIFIER))
    return undefined;
  return table;
}

/**
 * The table as SQL, each part quoted with pg's `escapeIdentifier`, so no name can inject SQL.
 * @param table - a parsed table name
 * @example
 * ```ts
 * quoteTable({ schema: "sales", name: "order lines" }); // "sales"."order lines"
 * ```
 */
export function quoteTable(table: TableName): string {
  const name = escapeIdentifier(table.name);
  return table.schema === undefined ? name : `${escapeIdentifier(table.schema)}.${name}`;
}

/**
 * The table as a person reads it in messages: `sales.orders`.
 * @param table - a parsed table name
 */
export function showTable(table: TableName): string {
  return table.schema === undefined ? table.name : `${table.schema}.${table.name}`;
}

/**
 * A config field holding a table name, optionally schema-qualified (`sales.orders`); parts
 * with upper case, dots or spaces are written in double quotes (`"Sales"."Order lines"`).
 * @param description - the field's `.describe()` text
 */
export function tableNameField(description: string): z.ZodString {
  return z
    .string()
    .min(1)
    .refine(
      (text) => parseTableName(text) !== undefined,
      'expected a table name such as `orders` or `sales.orders` (quote parts with dots: `"my.schema"."orders"`)',
    )
    .describe(description);
}

/**
 * A config field holding one column name (used verbatim, quoted when sent to Postgres).
 * @param description - the field's `.describe()` text
 */
export function columnNameField(description: string): z.ZodString {
  return z.string().min(1).max(MAX_IDENTIFIER).describe(description);
}
