import type { FastifyInstance } from "fastify";
import type pg from "pg";
import { z } from "zod";
import type { BundleStore } from "../bundle-store.js";
import { ApiError } from "../problem.js";
import type { ZodTypeProvider } from "../zod-schema-compiler.js";

/** A tenant as the API returns it. */
export const Tenant = z.object({
  id: z.uuid(),
  name: z.string(),
  plan: z.string(),
  suspended: z.boolean(),
  createdAt: z.string(),
});
/** A tenant as the API returns it. */
export type Tenant = z.infer<typeof Tenant>;

/** Body of `POST /v1/tenants`. */
export const CreateTenant = z.strictObject({
  name: z.string().min(1).max(200),
  plan: z.string().min(1).max(50).default("free"),
});

/** Body of `PATCH /v1/tenants/:id`. */
export const UpdateTenant = z.strictObject({
  name: z.string().min(1).max(200).optional(),
  plan: z.string().min(1).max(50).optional(),
  suspended: z.boolean().optional(),
});

/** Path parameters naming a tenant. */
export const TenantParams = z.object({ id: z.uuid() });

interface TenantRow {
  id: string;
  name: string;
  plan: string;
  suspended: boolean;
  created_at: Date;
}

function toTenant(row: TenantRow): Tenant {
  return {
    id: row.id,
    name: row.name,
    plan: row.plan,
    suspended: row.suspended,
    createdAt: row.created_at.toISOString(),
  };
}

const admin = { auth: "admin" } as const;
const security = [{ bearer: [] }];

/**
 * Admin routes managing tenants.
 * @param app - the fastify instance
 * @param deps - pool and bundle store
 */
export function tenantRoutes(app: FastifyInstance, deps: { db: pg.Pool; bundles: BundleStore }): void {
  const { db, bundles } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    "/v1/tenants",
    {
      config: admin,
      schema: { tags: ["tenants"], security, body: CreateTenant, response: { 201: Tenant } },
    },
    async (req, reply) => {
      const { rows } = await db.query<TenantRow>(
        "insert into tenants (name, plan) values ($1, $2) returning *",
        [req.body.name, req.body.plan],
      );
      return reply.code(201).send(toTenant(rows[0] as TenantRow));
    },
  );

  r.get(
    "/v1/tenants",
    {
      config: admin,
      schema: { tags: ["tenants"], security, response: { 200: z.object({ items: z.array(Tenant) }) } },
    },
    async () => {
      const { rows } = await db.query<TenantRow>("select * from tenants order by created_at, id");
      return { items: rows.map(toTenant) };
    },
  );

  r.patch(
    "/v1/tenants/:id",
    {
      config: admin,
      schema: {
        tags: ["tenants"],
        security,
        params: TenantParams,
        body: UpdateTenant,
        response: { 200: Tenant },
      },
    },
    async (req) => {
      const { name, plan, suspended } = req.body;
      const { rows } = await db.query<TenantRow>(
        `update tenants set name = coalesce($2, name), plan = coalesce($3, plan),
                suspended = coalesce($4, suspended)
          where id = $1 returning *`,
        [req.params.id, name ?? null, plan ?? null, suspended ?? null],
      );
      const row = rows[0];
      if (row === undefined) throw new ApiError("NOT_FOUND", `tenant ${req.params.id} does not exist`);
      return toTenant(row);
    },
  );

  r.delete(
    "/v1/tenants/:id",
    { config: admin, schema: { tags: ["tenants"], security, params: TenantParams } },
    async (req, reply) => {
      const client = await db.connect();
      let bundleKeys: string[];
      try {
        await client.query("begin");
        // Private connectors go with the tenant; public ones stay installable, unowned.
        const { rows } = await client.query<{ bundle_key: string }>(
          `with gone as (delete from connectors where tenant_id = $1 and visibility = 'private' returning id)
           select v.bundle_key from connector_versions v where v.connector_id in (select id from gone)`,
          [req.params.id],
        );
        bundleKeys = rows.map((row) => row.bundle_key);
        const deleted = await client.query("delete from tenants where id = $1", [req.params.id]);
        if (deleted.rowCount === 0) throw new ApiError("NOT_FOUND", `tenant ${req.params.id} does not exist`);
        await client.query("commit");
      } catch (error) {
        await client.query("rollback");
        throw error;
      } finally {
        client.release();
      }
      for (const key of bundleKeys) await bundles.delete(key);
      return reply.code(204).send();
    },
  );
}
