import type { FastifyInstance } from "fastify";
import type pg from "pg";
import { z } from "zod";
import { generateApiKey, Scope, tenantOf } from "../auth.js";
import { ApiError } from "../problem.js";
import type { ZodTypeProvider } from "../zod-schema-compiler.js";
import { TenantParams } from "./tenants.js";

/** An API key as listed: never the secret. */
export const ApiKey = z.object({
  id: z.uuid(),
  tenantId: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(Scope),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});
/** An API key as listed. */
export type ApiKey = z.infer<typeof ApiKey>;

/** A newly created key: the only response that carries the secret. */
export const CreatedApiKey = ApiKey.extend({ secret: z.string() });
/** A newly created key. */
export type CreatedApiKey = z.infer<typeof CreatedApiKey>;

/** Body of the key-creating endpoints. */
export const CreateApiKey = z.strictObject({
  name: z.string().min(1).max(200).default("default"),
  scopes: z.array(Scope).min(1),
});

interface KeyRow {
  id: string;
  tenant_id: string;
  name: string;
  prefix: string;
  scopes: string[];
  created_at: Date;
  revoked_at: Date | null;
}

function toKey(row: KeyRow): ApiKey {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes.flatMap((s) => {
      const parsed = Scope.safeParse(s);
      return parsed.success ? [parsed.data] : [];
    }),
    createdAt: row.created_at.toISOString(),
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}

async function insertKey(
  db: pg.Pool,
  tenantId: string,
  body: z.infer<typeof CreateApiKey>,
): Promise<CreatedApiKey> {
  const { secret, hash, prefix } = generateApiKey();
  const { rows } = await db.query<KeyRow>(
    `insert into api_keys (tenant_id, name, hash, prefix, scopes)
     select id, $2, $3, $4, $5 from tenants where id = $1 returning *`,
    [tenantId, body.name, hash, prefix, [...new Set(body.scopes)]],
  );
  const row = rows[0];
  if (row === undefined) throw new ApiError("NOT_FOUND", `tenant ${tenantId} does not exist`);
  return { ...toKey(row), secret };
}

const security = [{ bearer: [] }];

/**
 * Routes creating, listing and revoking API keys.
 * @param app - the fastify instance
 * @param deps - the pool
 */
export function keyRoutes(app: FastifyInstance, deps: { db: pg.Pool }): void {
  const { db } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    "/v1/tenants/:id/keys",
    {
      config: { auth: "admin" },
      schema: {
        tags: ["keys"],
        security,
        params: TenantParams,
        body: CreateApiKey,
        response: { 201: CreatedApiKey },
      },
    },
    async (req, reply) => reply.code(201).send(await insertKey(db, req.params.id, req.body)),
  );

  r.post(
    "/v1/keys",
    {
      config: { auth: { scope: "keys:write" } },
      schema: { tags: ["keys"], security, body: CreateApiKey, response: { 201: CreatedApiKey } },
    },
    async (req, reply) => {
      const caller = tenantOf(req);
      const extra = req.body.scopes.filter((s) => !caller.scopes.includes(s));
      if (extra.length > 0) {
        throw new ApiError("FORBIDDEN", `a key cannot grant scopes it lacks: ${extra.join(", ")}`);
      }
      return reply.code(201).send(await insertKey(db, caller.tenantId, req.body));
    },
  );

  r.get(
    "/v1/keys",
    {
      config: { auth: { scope: "keys:read" } },
      schema: { tags: ["keys"], security, response: { 200: z.object({ items: z.array(ApiKey) }) } },
    },
    async (req) => {
      const { rows } = await db.query<KeyRow>(
        "select * from api_keys where tenant_id = $1 order by created_at, id",
        [tenantOf(req).tenantId],
      );
      return { items: rows.map(toKey) };
    },
  );

  r.delete(
    "/v1/keys/:id",
    {
      config: { auth: { scope: "keys:write" } },
      schema: { tags: ["keys"], security, params: z.object({ id: z.uuid() }) },
    },
    async (req, reply) => {
      const { rowCount } = await db.query(
        "update api_keys set revoked_at = coalesce(revoked_at, now()) where id = $1 and tenant_id = $2",
        [req.params.id, tenantOf(req).tenantId],
      );
      if (rowCount === 0) throw new ApiError("NOT_FOUND", `API key ${req.params.id} does not exist`);
      return reply.code(204).send();
    },
  );
}
