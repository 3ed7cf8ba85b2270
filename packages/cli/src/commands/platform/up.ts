import { resolve } from "node:path";
import { Flags } from "@oclif/core";
import { destination, pino } from "pino";
import { VrskyCommand } from "../../base-command.js";
import { CliError, CliErrorCode } from "../../cli-error.js";
import { saveProfile } from "../../platform/profiles.js";

/** What `vrsky platform up --json` prints once the platform is ready. */
export interface PlatformUpResult {
  /** Base URL of the control-plane API. */
  url: string;
  /** OpenAPI reference. */
  docs: string;
  /** The operator's token; printed because this command generated it (or was given it). */
  adminToken: string;
  /** Each service and where it came from. */
  services: { nats: string; postgres: string; s3: string };
  /** With `--tenant`: the tenant created and the CLI profile now logged in to it. */
  tenant?: { id: string; name: string; profile: string };
}

/** `vrsky platform up`: the whole platform on this machine until interrupted. */
export default class PlatformUp extends VrskyCommand<PlatformUpResult> {
  static override summary =
    "Run the whole platform on this machine: API, orchestrator, workers and services.";

  static override description =
    `Starts Postgres and S3 (from VRSKY_POSTGRES_URL and VRSKY_S3_ENDPOINT when set, else Docker, else local binaries) and an operator-mode nats-server in which every tenant gets its own NATS account, migrates the control-plane database, serves the API and runs the orchestrator, which starts a worker process per tenant for its integrations. Runs until Ctrl-C, then drains the workers and stops what it started.

With --tenant it also creates a tenant with a key for every scope and logs the CLI in to it (profile "local"), so \`vrsky publish\` and \`vrsky deploy\` work at once. For self-hosting on one machine, demos and tests; see docs/platform.md.`;

  static override examples = [
    {
      description: "Start the platform and log in as a new tenant",
      command: "<%= config.bin %> <%= command.id %> --tenant demo",
    },
    {
      description: "On another port, with your own operator token",
      command: "VRSKY_ADMIN_TOKEN=$(openssl rand -hex 32) <%= config.bin %> <%= command.id %> --port 9090",
    },
  ];

  static override flags = {
    port: Flags.integer({
      description: "Port of the API (0 for any free one).",
      default: 8080,
      min: 0,
      max: 65535,
    }),
    host: Flags.string({ description: "Address the API listens on.", default: "127.0.0.1" }),
    "admin-token": Flags.string({
      description:
        "The operator's token, at least 16 characters. [default: VRSKY_ADMIN_TOKEN, else generated]",
      env: "VRSKY_ADMIN_TOKEN",
    }),
    "data-dir": Flags.string({
      description: "Where bundles, tenant folders and local services keep their data.",
      default: ".vrsky/platform",
    }),
    database: Flags.string({ description: "Name of the control plane's database.", default: "vrsky" }),
    prefer: Flags.string({
      description: "Which origin of NATS, Postgres and S3 to try first.",
      options: ["url", "docker", "local"],
    }),
    isolation: Flags.string({
      description:
        "accounts: an operator-mode NATS with one account per tenant (its plan's limits); shared: one NATS (VRSKY_NATS_URL, Docker or local) with tenants told apart by name prefixes, for development.",
      options: ["accounts", "shared"],
      default: "accounts",
    }),
    "dedicated-threshold": Flags.integer({
      description:
        "With --isolation accounts: a tenant with more integrations than this is moved, streams and all, to a nats-server of its own (back to the shared one at 80 %).",
      default: 50,
      min: 0,
    }),
    tenant: Flags.string({
      description: 'Also create this tenant and log the CLI in to it (profile "local").',
    }),
  };

  async run(): Promise<PlatformUpResult> {
    const { flags } = await this.parse(PlatformUp);
    const token = flags["admin-token"];
    if (token !== undefined && token.length < 16) {
      throw new CliError(
        CliErrorCode.InvalidInput,
        "--admin-token must be at least 16 characters; generate one with `openssl rand -hex 32`",
      );
    }
    const { startPlatform } = await import("@vrsky/platform");
    const platform = await this.progress(
      "Starting the platform (services, database, API, orchestrator)",
      () =>
        startPlatform({
          dataDir: resolve(flags["data-dir"]),
          port: flags.port,
          host: flags.host,
          database: flags.database,
          isolation: flags.isolation as "accounts" | "shared",
          dedicatedThreshold: flags["dedicated-threshold"],
          ...(token ? { adminToken: token } : {}),
          ...(flags.prefer ? { prefer: flags.prefer as "url" | "docker" | "local" } : {}),
          logger: pino({ level: this.jsonEnabled() ? "silent" : "warn" }, destination(2)),
        }),
    );
    try {
      const result: PlatformUpResult = {
        url: platform.url,
        docs: `${platform.url}/docs`,
        adminToken: platform.adminToken,
        services: platform.services,
      };
      if (flags.tenant)
        result.tenant = await this.#createTenant(platform.url, platform.adminToken, flags.tenant);
      if (this.jsonEnabled()) process.stdout.write(`${JSON.stringify(result)}\n`);
      else this.#print(result, token === undefined);
      await new Promise<void>((done) => {
        process.once("SIGINT", () => done());
        process.once("SIGTERM", () => done());
      });
      if (!this.jsonEnabled()) this.logToStderr("stopping: draining workers…");
      return result;
    } finally {
      await platform.stop();
    }
  }

  async #createTenant(
    url: string,
    adminToken: string,
    name: string,
  ): Promise<NonNullable<PlatformUpResult["tenant"]>> {
    const { Scope } = await import("@vrsky/platform");
    const call = async (path: string, body: unknown) => {
      const res = await fetch(`${url}${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      const json = (await res.json()) as Record<string, unknown>;
      if (!res.ok)
        throw new CliError(
          CliErrorCode.InvalidInput,
          `creating tenant ${name} failed: ${String(json.detail)}`,
        );
      return json;
    };
    const tenant = await call("/v1/tenants", { name, plan: "team" });
    const key = await call(`/v1/tenants/${String(tenant.id)}/keys`, {
      scopes: Scope.options,
    });
    await saveProfile("local", { url, key: String(key.secret) });
    return { id: String(tenant.id), name, profile: "local" };
  }

  #print(result: PlatformUpResult, generated: boolean): void {
    const o = this.out;
    this.log(`${o.green("✓")} VRSky platform up`);
    this.log(`  API        ${o.bold(result.url)}  (reference: ${result.docs})`);
    this.log(`  NATS       ${result.services.nats}`);
    this.log(`  Postgres   ${result.services.postgres}`);
    this.log(`  S3         ${result.services.s3}`);
    this.log(
      `  admin      ${result.adminToken}${generated ? o.dim("  (generated; set VRSKY_ADMIN_TOKEN to keep one)") : ""}`,
    );
    if (result.tenant) {
      this.log(
        `  tenant     ${result.tenant.name} (${result.tenant.id}); the CLI is logged in as profile "local"`,
      );
      this.log(`\nNext: \`vrsky publish\` in a connector project, \`vrsky deploy integration.yaml\`.`);
    } else {
      this.log(
        `\nNext: create a tenant and key with the admin token (docs/platform.md), then \`vrsky login --url ${result.url}\`.`,
      );
    }
    this.log(o.dim("Ctrl-C stops it."));
  }
}
