// Shared by the end-to-end tests of this package: a whole platform on a fresh database and data dir.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { pino } from "pino";
import { type RunningPlatform, type StartPlatformOptions, startPlatform } from "../src/index.js";

const POSTGRES = process.env.VRSKY_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** A running platform with helpers to call its API. */
export interface E2EPlatform {
  platform: RunningPlatform;
  /** Its data dir (removed by `stop`). */
  dataDir: string;
  /** Calls the API with a bearer token; `json` is the parsed answer, if any. */
  call(
    token: string,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: ReturnType<typeof JSON.parse> }>;
  /** Creates a tenant (admin API) and a key with `scopes` for it. */
  tenant(name: string, scopes: string[]): Promise<{ id: string; key: string }>;
  /** Stops the platform, drops its database and removes its data dir. */
  stop(): Promise<void>;
}

/**
 * An integration spec whose source polls `inbox` for `*.json` files (deleting what it read),
 * followed by `rest` (steps, sinks, settings), one YAML line each.
 */
export function fileInSpec(name: string, inbox: string, rest: readonly string[]): string {
  return [
    `name: ${name}`,
    "source:",
    "  connector: file-in",
    `  config: { directory: ${inbox}, patterns: ['*.json'], pollIntervalMs: 100, stableForMs: 50, afterRead: delete }`,
    ...rest,
  ].join("\n");
}

/**
 * Starts a platform on the machine's Postgres (a database of its own) with silent logs.
 * @param options - more options of `startPlatform`, and extra environment
 */
export async function startE2EPlatform(
  options: Omit<Partial<StartPlatformOptions>, "env"> & { env?: NodeJS.ProcessEnv } = {},
): Promise<E2EPlatform> {
  const dataDir = await mkdtemp(join(tmpdir(), "vrsky-platform-"));
  const database = `vrsky_e2e_${randomBytes(5).toString("hex")}`;
  const platform = await startPlatform({
    port: 0,
    database,
    prefer: "url",
    ackWaitMs: 2000,
    logger: pino({ level: "silent" }),
    ...options,
    dataDir,
    env: { PATH: process.env.PATH, VRSKY_POSTGRES_URL: POSTGRES, ...options.env },
  });
  const e2e: E2EPlatform = {
    platform,
    dataDir,
    async call(token, method, path, body) {
      const res = await fetch(`${platform.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body ? { "content-type": "application/json" } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      return { status: res.status, json: text ? JSON.parse(text) : undefined };
    },
    async tenant(name, scopes) {
      const tenant = await e2e.call(platform.adminToken, "POST", "/v1/tenants", { name });
      if (tenant.status !== 201) throw new Error(`creating tenant ${name}: ${JSON.stringify(tenant.json)}`);
      const key = await e2e.call(platform.adminToken, "POST", `/v1/tenants/${tenant.json.id}/keys`, {
        scopes,
      });
      return { id: String(tenant.json.id), key: String(key.json.secret) };
    },
    async stop() {
      await platform.stop();
      const admin = new pg.Client({ connectionString: POSTGRES });
      await admin.connect();
      await admin.query(`drop database if exists ${database} with (force)`);
      await admin.end();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return e2e;
}
