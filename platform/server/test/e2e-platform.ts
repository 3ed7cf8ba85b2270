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
  /** Stops the platform, drops its database and removes its data dir. */
  stop(): Promise<void>;
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
  return {
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
    async stop() {
      await platform.stop();
      const admin = new pg.Client({ connectionString: POSTGRES });
      await admin.connect();
      await admin.query(`drop database if exists ${database} with (force)`);
      await admin.end();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
