import { createHash } from "node:crypto";
import { ConnectorManifest } from "@vrsky/sdk";
import type { FastifyInstance } from "fastify";
import type pg from "pg";
import semver from "semver";
import { z } from "zod";
import { tenantOf } from "../auth.js";
import type { BundleStore } from "../bundle-store.js";
import { ApiError } from "../problem.js";
import { breakingIssues, diffConfigSchemas } from "../schema-diff.js";
import type { ZodTypeProvider } from "../zod-schema-compiler.js";

/** Connector names: lowercase, URL- and object-key-safe. */
const CONNECTOR_NAME = /^[a-z0-9][a-z0-9._-]{0,127}$/;

/** Who can see a connector. */
export const Visibility = z.enum(["public", "private"]);
/** Who can see a connector. */
export type Visibility = z.infer<typeof Visibility>;

/** Body of `POST /v1/connectors`. */
export const PublishConnector = z.strictObject({
  manifest: ConnectorManifest.extend({
    name: z.string().regex(CONNECTOR_NAME, "use lowercase letters, digits, '.', '_' and '-'"),
    version: z.string().refine((v) => semver.valid(v) === v, "must be a semver version such as 1.2.3"),
  }),
  /** The bundle, base64-encoded. */
  bundle: z.base64().min(1),
  visibility: Visibility.default("private"),
});

/** Response of `POST /v1/connectors`. */
export const PublishedVersion = z.object({
  name: z.string(),
  version: z.string(),
  visibility: Visibility,
  sha256: z.string(),
  size: z.number().int(),
});

/** One published version. */
export const ConnectorVersion = z.object({
  version: z.string(),
  sha256: z.string(),
  size: z.number().int(),
  yanked: z.boolean(),
  publishedAt: z.string(),
});
/** One published version. */
export type ConnectorVersion = z.infer<typeof ConnectorVersion>;

/** A connector in search results: its latest non-yanked version. */
export const ConnectorSummary = z.object({
  name: z.string(),
  kind: ConnectorManifest.shape.kind,
  description: z.string(),
  categories: z.array(z.string()),
  visibility: Visibility,
  latest: z.string(),
});
/** A connector in search results. */
export type ConnectorSummary = z.infer<typeof ConnectorSummary>;

/** A connector with its config schema and every version. */
export const ConnectorDetail = ConnectorSummary.extend({
  latest: z.string().nullable(),
  config: z.record(z.string(), z.unknown()),
  secrets: z.array(z.string()),
  versions: z.array(ConnectorVersion),
});
/** A connector with its config schema and every version. */
export type ConnectorDetail = z.infer<typeof ConnectorDetail>;

/** Query of `GET /v1/connectors`. */
export const SearchConnectors = z.object({
  kind: ConnectorManifest.shape.kind.optional(),
  category: z.string().optional(),
  q: z.string().max(200).optional(),
});

const NameParams = z.object({ name: z.string() });
const VersionParams = z.object({ name: z.string(), version: z.string() });

interface ConnectorRow {
  id: string;
  tenant_id: string | null;
  name: string;
  visibility: Visibility;
  kind: string;
}

/** A row of `connector_versions`. */
export interface VersionRow {
  connector_id: string;
  version: string;
  manifest: ConnectorManifest;
  bundle_key: string;
  sha256: string;
  size: number;
  yanked_at: Date | null;
  created_at: Date;
}

function toVersion(row: VersionRow): ConnectorVersion {
  return {
    version: row.version,
    sha256: row.sha256,
    size: row.size,
    yanked: row.yanked_at !== null,
    publishedAt: row.created_at.toISOString(),
  };
}

/** The newest version that is not yanked. */
export function latestOf(rows: VersionRow[]): VersionRow | undefined {
  return rows.filter((r) => r.yanked_at === null).sort((a, b) => semver.rcompare(a.version, b.version))[0];
}

function summaryOf(connector: ConnectorRow, latest: VersionRow): ConnectorSummary {
  return {
    name: connector.name,
    kind: latest.manifest.kind,
    description: latest.manifest.description,
    categories: latest.manifest.categories,
    visibility: connector.visibility,
    latest: latest.version,
  };
}

/** The caller's own connector of that name first, else the public one. */
export async function resolveConnector(
  db: pg.Pool | pg.PoolClient,
  name: string,
  tenantId: string,
): Promise<ConnectorRow> {
  const { rows } = await db.query<ConnectorRow>(
    `select * from connectors where name = $1 and (visibility = 'public' or tenant_id = $2)
      order by (tenant_id = $2) desc nulls last limit 1`,
    [name, tenantId],
  );
  const row = rows[0];
  // Another tenant's private connector answers 404 like a missing one, so existence never leaks.
  if (row === undefined) throw new ApiError("NOT_FOUND", `connector ${name} does not exist`);
  return row;
}

/** Every version of a connector, newest first. */
export async function versionsOf(db: pg.Pool | pg.PoolClient, connectorId: string): Promise<VersionRow[]> {
  const { rows } = await db.query<VersionRow>("select * from connector_versions where connector_id = $1", [
    connectorId,
  ]);
  return rows.sort((a, b) => semver.rcompare(a.version, b.version));
}

const security = [{ bearer: [] }];
const read = { auth: { scope: "registry:read" } } as const;
const write = { auth: { scope: "registry:write" } } as const;

/**
 * The connector registry routes.
 * @param app - the fastify instance
 * @param deps - pool and bundle store
 */
export function connectorRoutes(app: FastifyInstance, deps: { db: pg.Pool; bundles: BundleStore }): void {
  const { db, bundles } = deps;
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    "/v1/connectors",
    {
      config: write,
      schema: { tags: ["registry"], security, body: PublishConnector, response: { 201: PublishedVersion } },
    },
    async (req, reply) => {
      const { tenantId } = tenantOf(req);
      const { manifest, visibility } = req.body;
      const bundle = Buffer.from(req.body.bundle, "base64");
      const sha256 = createHash("sha256").update(bundle).digest("hex");
      const client = await db.connect();
      try {
        await client.query("begin");
        const connector = await ownConnector(client, tenantId, manifest.name, manifest.kind, visibility);
        const versions = await versionsOf(client, connector.id);
        if (versions.some((v) => v.version === manifest.version)) {
          throw new ApiError(
            "VERSION_EXISTS",
            `${manifest.name}@${manifest.version} is already published and versions are immutable; bump the version`,
          );
        }
        const major = semver.major(manifest.version);
        const base = latestOf(versions.filter((v) => semver.major(v.version) === major));
        if (base !== undefined) {
          const changes = diffConfigSchemas(base.manifest.config, manifest.config);
          if (changes.length > 0) {
            const nextMajor = Math.max(major, ...versions.map((v) => semver.major(v.version))) + 1;
            throw new ApiError(
              "BREAKING_CHANGE",
              `${manifest.name}@${manifest.version} breaks configs valid for ${base.version}: ` +
                `${changes.map((c) => c.message).join("; ")}. Publish as ${nextMajor}.0.0, ` +
                "or keep the config schema backward compatible",
              { issues: breakingIssues(changes) },
            );
          }
        }
        const key = `${tenantId}/${manifest.name}/${manifest.version}.bundle`;
        await bundles.put(key, bundle);
        await client.query(
          `insert into connector_versions (connector_id, version, manifest, bundle_key, sha256, size)
           values ($1, $2, $3, $4, $5, $6)`,
          [connector.id, manifest.version, manifest, key, sha256, bundle.byteLength],
        );
        await client.query("commit");
      } catch (error) {
        await client.query("rollback");
        throw error;
      } finally {
        client.release();
      }
      const published = {
        name: manifest.name,
        version: manifest.version,
        visibility,
        sha256,
        size: bundle.byteLength,
      };
      return reply.code(201).send(published);
    },
  );

  r.get(
    "/v1/connectors",
    {
      config: read,
      schema: {
        tags: ["registry"],
        security,
        querystring: SearchConnectors,
        response: { 200: z.object({ items: z.array(ConnectorSummary) }) },
      },
    },
    async (req) => {
      const { tenantId } = tenantOf(req);
      const { rows: connectors } = await db.query<ConnectorRow>(
        "select * from connectors where visibility = 'public' or tenant_id = $1 order by name, visibility",
        [tenantId],
      );
      const { rows: versions } = await db.query<VersionRow>(
        `select v.* from connector_versions v join connectors c on c.id = v.connector_id
          where v.yanked_at is null and (c.visibility = 'public' or c.tenant_id = $1)`,
        [tenantId],
      );
      const q = req.query.q?.toLowerCase();
      const items: ConnectorSummary[] = [];
      for (const connector of connectors) {
        const latest = latestOf(versions.filter((v) => v.connector_id === connector.id));
        if (latest === undefined) continue;
        const item = summaryOf(connector, latest);
        if (req.query.kind !== undefined && item.kind !== req.query.kind) continue;
        if (req.query.category !== undefined && !item.categories.includes(req.query.category)) continue;
        if (q !== undefined && !`${item.name}\n${item.description}`.toLowerCase().includes(q)) continue;
        items.push(item);
      }
      return { items };
    },
  );

  r.get(
    "/v1/connectors/:name",
    {
      config: read,
      schema: { tags: ["registry"], security, params: NameParams, response: { 200: ConnectorDetail } },
    },
    async (req) => {
      const connector = await resolveConnector(db, req.params.name, tenantOf(req).tenantId);
      const versions = await versionsOf(db, connector.id);
      const latest = latestOf(versions);
      const shown = latest ?? versions[0];
      if (shown === undefined)
        throw new ApiError("NOT_FOUND", `connector ${req.params.name} has no versions`);
      return {
        ...summaryOf(connector, shown),
        latest: latest?.version ?? null,
        config: shown.manifest.config,
        secrets: shown.manifest.secrets,
        versions: versions.map(toVersion),
      };
    },
  );

  r.get(
    "/v1/connectors/:name/versions/:version/bundle",
    { config: read, schema: { tags: ["registry"], security, params: VersionParams } },
    async (req, reply) => {
      const connector = await resolveConnector(db, req.params.name, tenantOf(req).tenantId);
      const version = (await versionsOf(db, connector.id)).find((v) => v.version === req.params.version);
      if (version === undefined) {
        throw new ApiError("NOT_FOUND", `${req.params.name}@${req.params.version} does not exist`);
      }
      // Yanked versions stay downloadable so pinned deployments keep working.
      const body = Buffer.from(await bundles.get(version.bundle_key));
      return reply
        .type("application/octet-stream")
        .header("x-vrsky-sha256", version.sha256)
        .header("repr-digest", `sha-256=:${Buffer.from(version.sha256, "hex").toString("base64")}:`)
        .send(body);
    },
  );

  r.post(
    "/v1/connectors/:name/versions/:version/yank",
    {
      config: write,
      schema: { tags: ["registry"], security, params: VersionParams, response: { 200: ConnectorVersion } },
    },
    async (req) => {
      const { tenantId } = tenantOf(req);
      const connector = await resolveConnector(db, req.params.name, tenantId);
      if (connector.tenant_id !== tenantId) {
        throw new ApiError("FORBIDDEN", `connector ${req.params.name} belongs to another tenant`);
      }
      const { rows } = await db.query<VersionRow>(
        `update connector_versions set yanked_at = coalesce(yanked_at, now())
          where connector_id = $1 and version = $2 returning *`,
        [connector.id, req.params.version],
      );
      const row = rows[0];
      if (row === undefined)
        throw new ApiError("NOT_FOUND", `${req.params.name}@${req.params.version} does not exist`);
      return toVersion(row);
    },
  );
}

/** Finds (locking) or creates the caller's connector of that name for a publish. */
async function ownConnector(
  client: pg.PoolClient,
  tenantId: string,
  name: string,
  kind: string,
  visibility: Visibility,
): Promise<ConnectorRow> {
  const own = await client.query<ConnectorRow>(
    "select * from connectors where tenant_id = $1 and name = $2 for update",
    [tenantId, name],
  );
  const existing = own.rows[0];
  if (existing !== undefined) {
    if (existing.visibility !== visibility) {
      throw new ApiError(
        "VALIDATION_FAILED",
        `connector ${name} is ${existing.visibility}; visibility is fixed at first publish`,
        { issues: [{ path: "body.visibility", message: `must be ${existing.visibility}` }] },
      );
    }
    return existing;
  }
  const taken = await client.query("select 1 from connectors where name = $1 and visibility = 'public'", [
    name,
  ]);
  if ((taken.rowCount ?? 0) > 0) {
    throw new ApiError(
      "NAME_TAKEN",
      `the public connector name ${name} belongs to another tenant; pick another name`,
    );
  }
  const { rows } = await client.query<ConnectorRow>(
    `insert into connectors (tenant_id, name, visibility, kind) values ($1, $2, $3, $4)
     on conflict do nothing returning *`,
    [tenantId, name, visibility, kind],
  );
  const created = rows[0];
  // A concurrent publish took the name between the check and the insert.
  if (created === undefined) throw new ApiError("NAME_TAKEN", `connector name ${name} was just taken; retry`);
  return created;
}
