import type { FastifyInstance } from "fastify";
import type pg from "pg";
import { z } from "zod";
import { tenantOf } from "../auth.js";
import { ApiError } from "../problem.js";
import type { SecretBox } from "../secret-box.js";
import type { ZodTypeProvider } from "../zod-schema-compiler.js";
import { INTEGRATIONS_CHANNEL } from "./integrations.js";

/** A secret's name: what a spec's `{ $secret: <name> }` refers to. */
export const SecretName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, {
  error: "a secret name is 1–128 letters, digits, '.', '_' or '-', starting with a letter or digit",
});

/** A secret as listed: never its value. */
export const SecretInfo = z.object({
  name: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Integrations whose current version refers to it. */
  usedBy: z.array(z.string()),
});
/** A secret as listed. */
export type SecretInfo = z.infer<typeof SecretInfo>;

/** Body of `PUT /v1/secrets/:name`. */
export const SetSecret = z.strictObject({ value: z.string().min(1).max(65_536) });

/** The answer to `PUT /v1/secrets/:name`. */
export const SecretSet = z.object({
  name: z.string(),
  /** Whether this call created it (else it replaced the value). */
  created: z.boolean(),
  /** Running integrations that use it; they restart with the new value. */
  restarting: z.array(z.string()),
});

const Params = z.object({ name: SecretName });
const security = [{ bearer: [] }];

/**
 * Routes setting, listing and deleting a tenant's secrets. Values are sealed with the
 * platform's {@link SecretBox} before they reach the database and are never returned: only
 * the tenant's workers get them, and only those their integrations refer to.
 *
 * @param app - the fastify instance
 * @param deps - the pool, and the box (without it the routes answer 503)
 */
export function secretRoutes(app: FastifyInstance, deps: { db: pg.Pool; box: SecretBox | undefined }): void {
  const { db } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const box = (): SecretBox => {
    if (deps.box) return deps.box;
    throw new ApiError(
      "UNAVAILABLE",
      "this platform has no secrets key; start it with one (VRSKY_SECRETS_KEY)",
    );
  };

  r.get(
    "/v1/secrets",
    {
      config: { auth: { scope: "secrets:read" } },
      schema: { tags: ["secrets"], security, response: { 200: z.object({ items: z.array(SecretInfo) }) } },
    },
    async (req) => {
      const { tenantId } = tenantOf(req);
      const { rows } = await db.query<{ name: string; created_at: Date; updated_at: Date }>(
        "select name, created_at, updated_at from tenant_secrets where tenant_id = $1 order by name",
        [tenantId],
      );
      const used = await usersOf(db, tenantId);
      return {
        items: rows.map((row) => ({
          name: row.name,
          createdAt: row.created_at.toISOString(),
          updatedAt: row.updated_at.toISOString(),
          usedBy: used.get(row.name) ?? [],
        })),
      };
    },
  );

  r.put(
    "/v1/secrets/:name",
    {
      config: { auth: { scope: "secrets:write" } },
      schema: {
        tags: ["secrets"],
        security,
        params: Params,
        body: SetSecret,
        response: { 200: SecretSet, 201: SecretSet },
      },
    },
    async (req, reply) => {
      const { tenantId } = tenantOf(req);
      const { name } = req.params;
      const sealed = box().seal(tenantId, name, req.body.value);
      const { rows } = await db.query<{ created: boolean }>(
        `insert into tenant_secrets (tenant_id, name, sealed) values ($1, $2, $3)
         on conflict (tenant_id, name) do update set sealed = excluded.sealed, updated_at = now()
         returning (xmax = 0) as created`,
        [tenantId, name, sealed],
      );
      // The orchestrator restarts the integrations that use it, with the new value.
      await db.query("select pg_notify($1, $2)", [INTEGRATIONS_CHANNEL, tenantId]);
      const created = rows[0]?.created ?? true;
      const restarting = (await usersOf(db, tenantId, true)).get(name) ?? [];
      return reply.code(created ? 201 : 200).send({ name, created, restarting });
    },
  );

  r.delete(
    "/v1/secrets/:name",
    {
      config: { auth: { scope: "secrets:write" } },
      schema: { tags: ["secrets"], security, params: Params },
    },
    async (req, reply) => {
      const { tenantId } = tenantOf(req);
      const { name } = req.params;
      const users = (await usersOf(db, tenantId)).get(name) ?? [];
      if (users.length > 0) {
        throw new ApiError(
          "IN_USE",
          `secret "${name}" is used by ${users.join(", ")}; deploy ${users.length === 1 ? "it" : "them"} without it, or delete ${users.length === 1 ? "it" : "them"}, first`,
        );
      }
      const { rowCount } = await db.query("delete from tenant_secrets where tenant_id = $1 and name = $2", [
        tenantId,
        name,
      ]);
      if (rowCount === 0)
        throw new ApiError("NOT_FOUND", `no secret "${name}"; \`vrsky secrets list\` lists them`);
      return reply.code(204).send();
    },
  );
}

/** Secret name → integrations whose current version refers to it (only running ones with `running`). */
async function usersOf(db: pg.Pool, tenantId: string, running = false): Promise<Map<string, string[]>> {
  const { rows } = await db.query<{ secret: string; names: string[] }>(
    `select ref as secret, array_agg(i.name order by i.name) as names
       from integrations i
       join integration_versions v on v.integration_id = i.id and v.version = i.current_version
       cross join unnest(v.secret_refs) as ref
      where i.tenant_id = $1 and ($2::boolean is false or i.desired_state = 'running')
      group by ref`,
    [tenantId, running],
  );
  return new Map(rows.map((row) => [row.secret, row.names]));
}
