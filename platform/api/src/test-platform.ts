import { randomBytes } from "node:crypto";
import { S3Client } from "@aws-sdk/client-s3";
import { startS3Server } from "@vrsky/services";
import type { FastifyInstance } from "fastify";
import pg from "pg";
import { Scope } from "./auth.js";
import { S3BundleStore } from "./bundle-store.js";
import { type CreateApiOptions, createApi } from "./create-api.js";
import { migrate } from "./migrate.js";
import { SecretBox } from "./secret-box.js";

/** Postgres server the tests use; each test file gets its own database on it. */
const SERVER_URL = process.env.VRSKY_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** Admin token of test platforms. */
export const TEST_ADMIN_TOKEN = "test-admin-token-0123456789";

/** A uniquely named, empty database; `drop()` removes it. */
export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** Creates a uniquely named database on the test Postgres server. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `vrsky_api_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: SERVER_URL });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** A migrated database, a local S3 server and an API on them. */
export interface TestPlatform {
  api: FastifyInstance;
  databaseUrl: string;
  bundles: S3BundleStore;
  /** The box the API seals secrets with (a random key per platform); give it to an orchestrator. */
  secrets: SecretBox;
  /** Closes the API, the S3 client and server, and drops the database. */
  stop(): Promise<void>;
}

/**
 * Starts a full platform for a test file.
 * @param options - overrides of the API options
 */
export async function startTestPlatform(
  options: Partial<Pick<CreateApiOptions, "rateLimit" | "plans">> = {},
): Promise<TestPlatform> {
  const db = await createTestDatabase();
  const s3 = await startS3Server();
  const client = new S3Client(s3);
  try {
    await migrate(db.url);
    const bundles = new S3BundleStore({ client, bucket: s3.bucket });
    const secrets = new SecretBox(randomBytes(32));
    const api = await createApi({
      databaseUrl: db.url,
      bundles,
      adminToken: TEST_ADMIN_TOKEN,
      secrets,
      ...options,
    });
    return {
      api,
      databaseUrl: db.url,
      bundles,
      secrets,
      async stop() {
        await api.close();
        client.destroy();
        await s3.stop();
        await db.drop();
      },
    };
  } catch (error) {
    client.destroy();
    await s3.stop();
    await db.drop();
    throw error;
  }
}

/** `Authorization` header for a bearer token. */
export function bearer(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}

/**
 * Creates a tenant and a key with the given scopes through the admin API.
 * @returns the tenant id and the key secret and id
 */
export async function createTenantWithKey(
  api: FastifyInstance,
  scopes: readonly string[] = Scope.options,
  name = "acme",
): Promise<{ tenantId: string; key: string; keyId: string }> {
  const tenant = await api.inject({
    method: "POST",
    url: "/v1/tenants",
    headers: bearer(TEST_ADMIN_TOKEN),
    payload: { name },
  });
  if (tenant.statusCode !== 201) throw new Error(`creating tenant failed: ${tenant.body}`);
  const tenantId = String(tenant.json().id);
  const key = await api.inject({
    method: "POST",
    url: `/v1/tenants/${tenantId}/keys`,
    headers: bearer(TEST_ADMIN_TOKEN),
    payload: { scopes },
  });
  if (key.statusCode !== 201) throw new Error(`creating key failed: ${key.body}`);
  return { tenantId, key: String(key.json().secret), keyId: String(key.json().id) };
}
