import type { FastifyInstance } from "fastify";
import type pg from "pg";
import { z } from "zod";
import { tenantOf } from "../auth.js";
import { type PlanQuota, quotaOf } from "../plans.js";
import { ApiError } from "../problem.js";
import { checkSpec, PinnedConnector } from "../spec-check.js";
import type { ZodTypeProvider } from "../zod-schema-compiler.js";

/** Postgres channel the API notifies on every change an orchestrator must act on. */
export const INTEGRATIONS_CHANNEL = "vrsky_integrations";

/** Body of `PUT /v1/integrations/:name` and `POST /v1/integrations/validate`. */
export const DeployIntegration = z.strictObject({
  /** The spec, YAML or JSON text, as `vrsky deploy` reads it from the file. */
  spec: z.string().min(1).max(1_000_000),
  format: z.enum(["yaml", "json"]).default("yaml"),
});

/** What the orchestrator reports about an integration. */
export const IntegrationStatus = z.object({
  state: z.enum(["starting", "running", "stopped", "failed", "restarting"]),
  version: z.number().int().nullable(),
  worker: z.string().nullable(),
  error: z.string().nullable(),
  counters: z.record(z.string(), z.number()).nullable(),
  updatedAt: z.string(),
});

/** An integration as listed. */
export const IntegrationSummary = z.object({
  name: z.string(),
  desiredState: z.enum(["running", "stopped"]),
  currentVersion: z.number().int(),
  status: IntegrationStatus.nullable(),
  updatedAt: z.string(),
});
/** An integration as listed. */
export type IntegrationSummary = z.infer<typeof IntegrationSummary>;

/** An integration with its version history. */
export const IntegrationDetail = IntegrationSummary.extend({
  versions: z.array(z.object({ version: z.number().int(), createdAt: z.string() })),
});
/** An integration with its version history. */
export type IntegrationDetail = z.infer<typeof IntegrationDetail>;

/** One deployed version. */
export const IntegrationVersion = z.object({
  version: z.number().int(),
  spec: z.string(),
  format: z.enum(["yaml", "json"]),
  connectors: z.array(PinnedConnector),
  createdAt: z.string(),
});

/** The answer to a deploy. */
export const Deployed = z.object({
  name: z.string(),
  version: z.number().int(),
  /** Whether this deploy created the integration. */
  created: z.boolean(),
  /** `false` when the spec equals the current version's: no new version was made. */
  changed: z.boolean(),
});

/** One log line of an integration. */
export const LogLine = z.object({
  /** Increasing; pass the last one seen as `after` to follow. */
  id: z.number().int(),
  at: z.string(),
  level: z.enum(["trace", "debug", "info", "warn", "error", "fatal"]),
  message: z.string(),
  fields: z.record(z.string(), z.unknown()),
});
/** One log line of an integration. */
export type LogLine = z.infer<typeof LogLine>;

const LogsQuery = z.object({
  after: z.coerce.number().int().nonnegative().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

/** Which dead letters a replay or purge applies to; criteria combine with AND. */
export const DeadLetterSelector = z
  .strictObject({
    seqs: z.array(z.number().int().positive()).optional(),
    ids: z.array(z.string()).optional(),
    step: z.string().optional(),
    errorContains: z.string().optional(),
    all: z.boolean().optional(),
  })
  .refine((s) => Object.values(s).some((v) => v !== undefined), {
    message: "say which dead letters: seqs, ids, step, errorContains, or all: true",
  });

/** One dead letter as listed (no body). */
export const DeadLetterEntry = z.object({
  seq: z.number().int(),
  id: z.string(),
  createdAt: z.string(),
  headers: z.record(z.string(), z.string()),
  contentType: z.string(),
  size: z.number().int(),
  isReference: z.boolean(),
  failure: z.object({
    error: z.string(),
    code: z.string(),
    stage: z.string(),
    step: z.string(),
    sink: z.string().optional(),
    attempts: z.number().int(),
    failedAt: z.string(),
  }),
});

/** A question about an integration's dead letters, answered by whatever runs it. */
export type DeadLetterRequest =
  | { op: "list"; limit?: number; fromSeq?: number }
  | { op: "show"; seq: number }
  | { op: "replay" | "purge"; selector: z.infer<typeof DeadLetterSelector> };

/**
 * Reaches the dead letters of a tenant's running integration (the orchestrator, through the
 * tenant's worker). Throws `ApiError` `NOT_RUNNING` when the integration does not run.
 */
export type DeadLetterAccess = (
  tenantId: string,
  integration: string,
  request: DeadLetterRequest,
) => Promise<unknown>;

/** One dead letter with its body: UTF-8 text, base64 for binary, or `null` above 1 MiB. */
export const DeadLetterDetail = DeadLetterEntry.extend({
  body: z.string().nullable(),
  bodyEncoding: z.enum(["utf8", "base64"]).nullable(),
});

const DlqQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  from: z.coerce.number().int().positive().optional(),
});

const NameParams = z.object({ name: z.string().regex(/^[a-z][a-z0-9-]{0,62}$/) });
const VersionParams = NameParams.extend({ version: z.coerce.number().int().positive() });
const Rollback = z.strictObject({ version: z.number().int().positive() });

interface IntegrationRow {
  id: string;
  name: string;
  desired_state: "running" | "stopped";
  current_version: number;
  updated_at: Date;
  state: IntegrationStatus["state"] | null;
  status_version: number | null;
  worker: string | null;
  error: string | null;
  counters: Record<string, number> | null;
  status_updated_at: Date | null;
}
type IntegrationStatus = z.infer<typeof IntegrationStatus>;

const SELECT = `select i.id, i.name, i.desired_state, i.current_version, i.updated_at,
  s.state, s.version as status_version, s.worker, s.error, s.counters, s.updated_at as status_updated_at
  from integrations i left join integration_status s on s.integration_id = i.id`;

function toSummary(row: IntegrationRow): IntegrationSummary {
  return {
    name: row.name,
    desiredState: row.desired_state,
    currentVersion: row.current_version,
    status:
      row.state === null
        ? null
        : {
            state: row.state,
            version: row.status_version,
            worker: row.worker,
            error: row.error,
            counters: row.counters,
            updatedAt: (row.status_updated_at ?? row.updated_at).toISOString(),
          },
    updatedAt: row.updated_at.toISOString(),
  };
}

const security = [{ bearer: [] }];
const read = { auth: { scope: "integrations:read" } } as const;
const write = { auth: { scope: "integrations:write" } } as const;

/**
 * Integration routes: deploy (every deploy of a changed spec is a new version), validate, list,
 * inspect, start, stop, roll back and delete. Changes are announced on the
 * {@link INTEGRATIONS_CHANNEL} Postgres channel for the orchestrator.
 * @param app - the fastify instance
 * @param deps - the pool and the plans
 */
export function integrationRoutes(
  app: FastifyInstance,
  deps: {
    db: pg.Pool;
    plans: Readonly<Record<string, PlanQuota>>;
    deadLetters?: DeadLetterAccess | undefined;
  },
): void {
  const { db, plans } = deps;
  const deadLetters = async (tenantId: string, name: string, request: DeadLetterRequest) => {
    await find(tenantId, name);
    if (!deps.deadLetters) {
      throw new ApiError(
        "UNAVAILABLE",
        "no orchestrator is attached to this API, so dead letters cannot be reached",
      );
    }
    return deps.deadLetters(tenantId, name, request);
  };
  const r = app.withTypeProvider<ZodTypeProvider>();

  async function find(tenantId: string, name: string): Promise<IntegrationRow> {
    const { rows } = await db.query<IntegrationRow>(`${SELECT} where i.tenant_id = $1 and i.name = $2`, [
      tenantId,
      name,
    ]);
    const row = rows[0];
    if (!row)
      throw new ApiError("NOT_FOUND", `integration ${name} does not exist; deploy it with \`vrsky deploy\``);
    return row;
  }

  async function detail(tenantId: string, name: string): Promise<IntegrationDetail> {
    const row = await find(tenantId, name);
    const { rows } = await db.query<{ version: number; created_at: Date }>(
      "select version, created_at from integration_versions where integration_id = $1 order by version desc",
      [row.id],
    );
    return {
      ...toSummary(row),
      versions: rows.map((v) => ({ version: v.version, createdAt: v.created_at.toISOString() })),
    };
  }

  r.post(
    "/v1/integrations/validate",
    { config: read, schema: { tags: ["integrations"], security, body: DeployIntegration } },
    async (req) => {
      const checked = await checkSpec(req.body.spec, req.body.format, {
        db,
        tenantId: tenantOf(req).tenantId,
      });
      return { valid: true, name: checked.name, connectors: checked.connectors };
    },
  );

  r.put(
    "/v1/integrations/:name",
    {
      config: write,
      schema: {
        tags: ["integrations"],
        security,
        params: NameParams,
        body: DeployIntegration,
        response: { 200: Deployed, 201: Deployed },
      },
    },
    async (req, reply) => {
      const { tenantId } = tenantOf(req);
      const { spec, format } = req.body;
      const checked = await checkSpec(spec, format, { db, tenantId });
      if (checked.name !== req.params.name) {
        throw new ApiError(
          "INVALID_SPEC",
          `the spec is named "${checked.name}" but was deployed as "${req.params.name}"; deploy it as ${checked.name}`,
          { issues: [{ path: "spec.name", message: `expected "${req.params.name}"` }] },
        );
      }
      const deployed = await inTransaction(db, async (client) => {
        const { rows } = await client.query<{ id: string; current_version: number }>(
          "select id, current_version from integrations where tenant_id = $1 and name = $2 for update",
          [tenantId, req.params.name],
        );
        let row = rows[0];
        let created = false;
        if (!row) {
          await checkIntegrationQuota(client, plans, tenantId);
          const inserted = await client.query<{ id: string; current_version: number }>(
            `insert into integrations (tenant_id, name, current_version) values ($1, $2, 0)
             returning id, current_version`,
            [tenantId, req.params.name],
          );
          row = inserted.rows[0] as { id: string; current_version: number };
          created = true;
        } else {
          const current = await client.query<{ spec: string; format: string; secret_refs: string[] }>(
            "select spec, format, secret_refs from integration_versions where integration_id = $1 and version = $2",
            [row.id, row.current_version],
          );
          const same = current.rows[0];
          const sameRefs = same?.secret_refs.join("\n") === checked.secretRefs.join("\n");
          if (same && same.spec === spec && same.format === format && sameRefs) {
            return { name: req.params.name, version: row.current_version, created, changed: false };
          }
        }
        const version = await addVersion(
          client,
          row.id,
          spec,
          format,
          checked.connectors,
          checked.secretRefs,
        );
        await notify(client, tenantId);
        return { name: req.params.name, version, created, changed: true };
      });
      return reply.code(deployed.created ? 201 : 200).send(deployed);
    },
  );

  r.get(
    "/v1/integrations",
    {
      config: read,
      schema: {
        tags: ["integrations"],
        security,
        response: { 200: z.object({ items: z.array(IntegrationSummary) }) },
      },
    },
    async (req) => {
      const { rows } = await db.query<IntegrationRow>(`${SELECT} where i.tenant_id = $1 order by i.name`, [
        tenantOf(req).tenantId,
      ]);
      return { items: rows.map(toSummary) };
    },
  );

  r.get(
    "/v1/integrations/:name",
    {
      config: read,
      schema: { tags: ["integrations"], security, params: NameParams, response: { 200: IntegrationDetail } },
    },
    async (req) => detail(tenantOf(req).tenantId, req.params.name),
  );

  r.get(
    "/v1/integrations/:name/versions/:version",
    {
      config: read,
      schema: {
        tags: ["integrations"],
        security,
        params: VersionParams,
        response: { 200: IntegrationVersion },
      },
    },
    async (req) => {
      const row = await find(tenantOf(req).tenantId, req.params.name);
      const { rows } = await db.query<{
        version: number;
        spec: string;
        format: "yaml" | "json";
        connectors: PinnedConnector[];
        created_at: Date;
      }>("select * from integration_versions where integration_id = $1 and version = $2", [
        row.id,
        req.params.version,
      ]);
      const v = rows[0];
      if (!v) throw new ApiError("NOT_FOUND", `${req.params.name} has no version ${req.params.version}`);
      return {
        version: v.version,
        spec: v.spec,
        format: v.format,
        connectors: v.connectors,
        createdAt: v.created_at.toISOString(),
      };
    },
  );

  r.get(
    "/v1/integrations/:name/logs",
    {
      config: read,
      schema: {
        tags: ["integrations"],
        security,
        params: NameParams,
        querystring: LogsQuery,
        response: { 200: z.object({ items: z.array(LogLine) }) },
      },
    },
    async (req) => {
      const row = await find(tenantOf(req).tenantId, req.params.name);
      const { after, limit } = req.query;
      // Without `after`: the newest lines; with it: the lines after it, oldest first (to follow).
      const { rows } = await db.query<{
        id: string;
        at: Date;
        level: LogLine["level"];
        message: string;
        fields: Record<string, unknown>;
      }>(
        after === undefined
          ? `select * from (select * from integration_logs where integration_id = $1 order by id desc limit $2) l order by id`
          : "select * from integration_logs where integration_id = $1 and id > $3 order by id limit $2",
        after === undefined ? [row.id, limit] : [row.id, limit, after],
      );
      return {
        items: rows.map((l) => ({
          id: Number(l.id),
          at: l.at.toISOString(),
          level: l.level,
          message: l.message,
          fields: l.fields,
        })),
      };
    },
  );

  r.get(
    "/v1/integrations/:name/dlq",
    {
      config: read,
      schema: {
        tags: ["integrations"],
        security,
        params: NameParams,
        querystring: DlqQuery,
        response: { 200: z.object({ total: z.number().int(), items: z.array(DeadLetterEntry) }) },
      },
    },
    async (req) =>
      deadLetters(tenantOf(req).tenantId, req.params.name, {
        op: "list",
        limit: req.query.limit,
        ...(req.query.from ? { fromSeq: req.query.from } : {}),
      }) as Promise<{ total: number; items: z.infer<typeof DeadLetterEntry>[] }>,
  );

  r.get(
    "/v1/integrations/:name/dlq/:seq",
    {
      config: read,
      schema: {
        tags: ["integrations"],
        security,
        params: NameParams.extend({ seq: z.coerce.number().int().positive() }),
        response: { 200: DeadLetterDetail },
      },
    },
    async (req) => {
      const letter = await deadLetters(tenantOf(req).tenantId, req.params.name, {
        op: "show",
        seq: req.params.seq,
      });
      if (letter === null) {
        throw new ApiError("NOT_FOUND", `no dead letter ${req.params.seq} in ${req.params.name}`);
      }
      return letter as z.infer<typeof DeadLetterDetail>;
    },
  );

  for (const op of ["replay", "purge"] as const) {
    r.post(
      `/v1/integrations/:name/dlq/${op}`,
      {
        config: write,
        schema: {
          tags: ["integrations"],
          security,
          params: NameParams,
          body: DeadLetterSelector,
          response: { 200: z.record(z.string(), z.number().int()) },
        },
      },
      async (req) =>
        deadLetters(tenantOf(req).tenantId, req.params.name, { op, selector: req.body }) as Promise<
          Record<string, number>
        >,
    );
  }

  r.post(
    "/v1/integrations/:name/rollback",
    {
      config: write,
      schema: {
        tags: ["integrations"],
        security,
        params: NameParams,
        body: Rollback,
        response: { 200: Deployed },
      },
    },
    async (req) => {
      const { tenantId } = tenantOf(req);
      const row = await find(tenantId, req.params.name);
      return inTransaction(db, async (client) => {
        const { rows } = await client.query<{
          spec: string;
          format: string;
          connectors: PinnedConnector[];
          secret_refs: string[];
        }>(
          "select spec, format, connectors, secret_refs from integration_versions where integration_id = $1 and version = $2",
          [row.id, req.body.version],
        );
        const old = rows[0];
        if (!old) {
          throw new ApiError(
            "NOT_FOUND",
            `${req.params.name} has no version ${req.body.version}; \`vrsky integrations status ${req.params.name}\` lists them`,
          );
        }
        const { rows: present } = await client.query<{ name: string }>(
          "select name from tenant_secrets where tenant_id = $1 and name = any($2)",
          [tenantId, old.secret_refs],
        );
        const missing = old.secret_refs.filter((name) => !present.some((p) => p.name === name));
        if (missing.length > 0) {
          throw new ApiError(
            "INVALID_SPEC",
            `version ${req.body.version} refers to secret${missing.length === 1 ? "" : "s"} ${missing.join(", ")}, no longer set; set ${missing.length === 1 ? "it" : "them"} with \`vrsky secrets set\`, then roll back`,
            { issues: missing.map((name) => ({ path: "spec", message: `secret "${name}" is not set` })) },
          );
        }
        // A rollback is a new version with the old spec and its pinned connectors, so history
        // only grows and the pins keep the exact bundles that ran before.
        const version = await addVersion(
          client,
          row.id,
          old.spec,
          old.format,
          old.connectors,
          old.secret_refs,
        );
        await notify(client, tenantId);
        return { name: req.params.name, version, created: false, changed: true };
      });
    },
  );

  for (const [action, state] of [
    ["start", "running"],
    ["stop", "stopped"],
  ] as const) {
    r.post(
      `/v1/integrations/:name/${action}`,
      {
        config: write,
        schema: {
          tags: ["integrations"],
          security,
          params: NameParams,
          response: { 200: IntegrationDetail },
        },
      },
      async (req) => {
        const { tenantId } = tenantOf(req);
        await inTransaction(db, async (client) => {
          const { rowCount } = await client.query(
            "update integrations set desired_state = $3, updated_at = now() where tenant_id = $1 and name = $2",
            [tenantId, req.params.name, state],
          );
          if (rowCount === 0)
            throw new ApiError("NOT_FOUND", `integration ${req.params.name} does not exist`);
          await notify(client, tenantId);
        });
        return detail(tenantId, req.params.name);
      },
    );
  }

  r.delete(
    "/v1/integrations/:name",
    { config: write, schema: { tags: ["integrations"], security, params: NameParams } },
    async (req, reply) => {
      const { tenantId } = tenantOf(req);
      await inTransaction(db, async (client) => {
        const { rowCount } = await client.query(
          "delete from integrations where tenant_id = $1 and name = $2",
          [tenantId, req.params.name],
        );
        if (rowCount === 0) throw new ApiError("NOT_FOUND", `integration ${req.params.name} does not exist`);
        await notify(client, tenantId);
      });
      return reply.code(204).send();
    },
  );
}

async function checkIntegrationQuota(
  client: pg.PoolClient,
  plans: Readonly<Record<string, PlanQuota>>,
  tenantId: string,
): Promise<void> {
  const { rows } = await client.query<{ plan: string; count: string }>(
    `select t.plan, (select count(*) from integrations i where i.tenant_id = t.id) as count
       from tenants t where t.id = $1 for update`,
    [tenantId],
  );
  const tenant = rows[0];
  if (!tenant) throw new ApiError("NOT_FOUND", "the tenant no longer exists");
  const quota = quotaOf(plans, tenant.plan);
  if (Number(tenant.count) >= quota.maxIntegrations) {
    throw new ApiError(
      "QUOTA_EXCEEDED",
      `plan "${tenant.plan}" allows ${quota.maxIntegrations} integrations and this tenant has ${tenant.count}; delete one or move to a larger plan`,
    );
  }
}

async function addVersion(
  client: pg.PoolClient,
  integrationId: string,
  spec: string,
  format: string,
  connectors: PinnedConnector[],
  secretRefs: readonly string[],
): Promise<number> {
  const { rows } = await client.query<{ current_version: number }>(
    `update integrations set current_version = current_version + 1, updated_at = now()
      where id = $1 returning current_version`,
    [integrationId],
  );
  const version = (rows[0] as { current_version: number }).current_version;
  await client.query(
    "insert into integration_versions (integration_id, version, spec, format, connectors, secret_refs) values ($1, $2, $3, $4, $5, $6)",
    [integrationId, version, spec, format, JSON.stringify(connectors), secretRefs],
  );
  return version;
}

async function notify(client: pg.PoolClient, tenantId: string): Promise<void> {
  await client.query("select pg_notify($1, $2)", [INTEGRATIONS_CHANNEL, tenantId]);
}

async function inTransaction<T>(db: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await db.connect();
  try {
    await client.query("begin");
    const result = await work(client);
    await client.query("commit");
    return result;
  } catch (error) {
    await client.query("rollback");
    throw error;
  } finally {
    client.release();
  }
}
