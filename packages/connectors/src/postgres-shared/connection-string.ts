import { secret, z } from "@vrsky/sdk";

/**
 * A secret config field holding a `postgres://` connection URL. Give it as a reference
 * (`{ $env: DATABASE_URL }`), never inline: it usually carries a password.
 * @param description - the field's `.describe()` text
 */
export function connectionStringField(description: string): z.ZodString {
  return secret(
    z
      .string()
      .regex(
        /^postgres(ql)?:\/\/\S+$/,
        "expected a URL such as `postgres://user:password@host:5432/database`",
      )
      .describe(description)
      .meta({ examples: ["postgres://vrsky:<password>@db.internal:5432/orders"] }),
  );
}

/**
 * Where a connection string points, safe to show: `host:port/database`, never the user or
 * password.
 * @param connectionString - a `postgres://` URL
 */
export function describeServer(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    const database = url.pathname.replace(/^\//, "") || "postgres";
    return `${url.hostname || "localhost"}:${url.port || "5432"}/${decodeURIComponent(database)}`;
  } catch {
    return "the server in connectionString";
  }
}
