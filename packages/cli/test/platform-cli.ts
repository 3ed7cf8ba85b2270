import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  bearer,
  createTenantWithKey,
  startTestPlatform,
  TEST_ADMIN_TOKEN,
  type TestPlatform,
} from "@vrsky/platform-api/testing";
import pg from "pg";
import { saveProfile } from "../src/platform/profiles.js";
import { CLI, type CliRun, runCli } from "./run-cli.js";

/** A CLI run still going, e.g. `logs --follow`. */
export interface RunningCli {
  /** Everything on stdout so far. */
  stdout(): string;
  /** Everything on stderr so far. */
  stderr(): string;
  /** Sends a signal, as Ctrl+C (`SIGINT`) would. */
  kill(signal?: NodeJS.Signals): void;
  /** Settles when the process exits. */
  exited: Promise<CliRun>;
}

/** The CLI logged in as one tenant: its own config dir holding a `default` profile. */
export interface TenantCli {
  tenantId: string;
  /** The tenant's API key. */
  key: string;
  /** Runs `vrsky <args>` as this tenant, with no terminal. */
  run(
    args: readonly string[],
    options?: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string },
  ): Promise<CliRun>;
  /** Starts `vrsky <args>` as this tenant without waiting for it to end. */
  start(args: readonly string[]): RunningCli;
}

/** A test platform served over HTTP for the CLI, with SQL access to its database. */
export interface CliPlatform {
  platform: TestPlatform;
  /** Base URL of the API. */
  url: string;
  /** A pool on the platform's database, e.g. to write what an orchestrator would. */
  db: pg.Pool;
  /**
   * Creates a tenant with a key and a CLI logged in with it.
   * @param name - the tenant's name
   * @param options - the key's scopes (default: the integrations and registry ones) and plan
   */
  tenant(name: string, options?: { scopes?: string[]; plan?: string }): Promise<TenantCli>;
  /** The id of a tenant's integration, as the `integration_*` tables reference it. */
  integrationId(tenantId: string, name: string): Promise<string>;
  /** Stops the platform and removes the config dirs. */
  stop(): Promise<void>;
}

const SCOPES = ["integrations:read", "integrations:write", "registry:read"];

/**
 * Starts a platform (`startTestPlatform`) listening on a free port, for CLI tests that run the
 * built CLI against it. No login leaks in from the environment running the tests.
 * @param options - the platform's options, e.g. `plans`
 */
export async function startCliPlatform(
  options: Parameters<typeof startTestPlatform>[0] = {},
): Promise<CliPlatform> {
  const platform = await startTestPlatform(options);
  await platform.api.listen({ host: "127.0.0.1", port: 0 });
  const url = `http://127.0.0.1:${(platform.api.server.address() as AddressInfo).port}`;
  const db = new pg.Pool({ connectionString: platform.databaseUrl, max: 2 });
  const dirs: string[] = [];
  return {
    platform,
    url,
    db,
    async tenant(name, tenantOptions = {}) {
      const { tenantId, key } = await createTenantWithKey(platform.api, tenantOptions.scopes ?? SCOPES, name);
      if (tenantOptions.plan !== undefined) {
        const patched = await platform.api.inject({
          method: "PATCH",
          url: `/v1/tenants/${tenantId}`,
          headers: bearer(TEST_ADMIN_TOKEN),
          payload: { plan: tenantOptions.plan },
        });
        if (patched.statusCode !== 200) throw new Error(`setting the plan failed: ${patched.body}`);
      }
      const configDir = await mkdtemp(join(tmpdir(), `vrsky-${name}-`));
      dirs.push(configDir);
      await saveProfile("default", { url, key }, { VRSKY_CONFIG_DIR: configDir });
      const env = { VRSKY_CONFIG_DIR: configDir, VRSKY_API_URL: "", VRSKY_API_KEY: "", VRSKY_PROFILE: "" };
      return {
        tenantId,
        key,
        run: (args, runOptions = {}) => runCli(args, { ...runOptions, env: { ...env, ...runOptions.env } }),
        start: (args) => startCli(args, env),
      };
    },
    async integrationId(tenantId, name) {
      const { rows } = await db.query<{ id: string }>(
        "select id from integrations where tenant_id = $1 and name = $2",
        [tenantId, name],
      );
      const id = rows[0]?.id;
      if (id === undefined) throw new Error(`tenant ${tenantId} has no integration ${name}`);
      return id;
    },
    async stop() {
      await db.end();
      await platform.stop();
      await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
    },
  };
}

/** Like `runCli`, without waiting for the end. */
function startCli(args: readonly string[], extraEnv: NodeJS.ProcessEnv): RunningCli {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !key.startsWith("VITEST") && key !== "NODE_OPTIONS" && key !== "FORCE_COLOR",
    ),
  );
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...env, NO_COLOR: "1", ...extraEnv },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<CliRun>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    kill: (signal = "SIGINT") => child.kill(signal),
    exited,
  };
}
