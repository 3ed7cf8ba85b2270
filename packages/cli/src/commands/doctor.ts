import { Flags } from "@oclif/core";
import { checkServices, type ServiceCheck } from "@vrsky/services";
import { VrskyCommand } from "../base-command.js";
import { checkNodeVersion, type NodeCheck } from "../doctor/node-check.js";
import { ExitCode } from "../exit-code.js";

/** One line of the doctor's report. */
export type DoctorCheck = (ServiceCheck | NodeCheck) & {
  /** Whether a `fail` makes the command fail (Docker is optional: local binaries stand in). */
  required: boolean;
};

/** What `vrsky doctor --json` prints. */
export interface DoctorResult {
  /** `true` when no required check failed; warnings allowed. */
  ok: boolean;
  /** Node.js, NATS, Postgres, S3, Docker. */
  checks: DoctorCheck[];
}

const MARK = { ok: "✓", warn: "⚠", fail: "✗" } as const;

/** `vrsky doctor`: checks this machine can run VRSky locally. */
export default class Doctor extends VrskyCommand<DoctorResult> {
  static override summary =
    "Check that this machine can run VRSky: Node.js, NATS JetStream, Postgres, S3, Docker.";

  static override description =
    `Probes each service \`vrsky dev\` and the tests would use. A service with a URL (a flag or VRSKY_NATS_URL, VRSKY_POSTGRES_URL, VRSKY_S3_ENDPOINT) must be reachable — NATS with JetStream, Postgres with wal_level=logical for CDC sources, S3 with its bucket; a service without one must be startable (Docker, a nats-server binary, embedded Postgres, s3rver). Every warning and failure comes with a fix.

Exits 1 when a required check fails.`;

  static override examples = [
    { description: "Check everything", command: "<%= config.bin %> <%= command.id %>" },
    {
      description: "Check a running NATS server, as JSON",
      command: "<%= config.bin %> <%= command.id %> --nats-url nats://127.0.0.1:4222 --json",
    },
  ];

  static override flags = {
    "nats-url": Flags.string({ description: "Probe this NATS server instead of VRSKY_NATS_URL." }),
    "postgres-url": Flags.string({ description: "Probe this Postgres instead of VRSKY_POSTGRES_URL." }),
    timeout: Flags.integer({ description: "Per-check timeout in milliseconds.", default: 3000, min: 100 }),
  };

  async run(): Promise<DoctorResult> {
    const { flags } = await this.parse(Doctor);
    const targets = {
      ...(flags["nats-url"] === undefined ? {} : { nats: flags["nats-url"] }),
      ...(flags["postgres-url"] === undefined ? {} : { postgres: flags["postgres-url"] }),
    };
    const services = await this.progress("Checking services", () =>
      checkServices({ targets, timeoutMs: flags.timeout }),
    );
    const checks: DoctorCheck[] = [
      { ...checkNodeVersion(process.version), required: true },
      ...services.checks.map((c) => ({ ...c, required: c.subject !== "docker" })),
    ];
    const ok = checks.every((c) => !c.required || c.status !== "fail");
    this.printReport(checks, ok);
    if (!ok) this.exitStatus = ExitCode.Failure;
    return { ok, checks };
  }

  private printReport(checks: readonly DoctorCheck[], ok: boolean): void {
    const { green, yellow, red, bold, dim } = this.out;
    const paint = { ok: green, warn: yellow, fail: red } as const;
    const width = Math.max(...checks.map((c) => c.subject.length));
    for (const check of checks) {
      this.log(
        `  ${paint[check.status](MARK[check.status])} ${bold(check.subject.padEnd(width))}  ${check.summary}`,
      );
      if (check.fix) this.log(`${" ".repeat(width + 6)}${dim(`→ ${check.fix}`)}`);
    }
    const warnings = checks.filter((c) => c.status === "warn").length;
    const failed = checks.filter((c) => c.status === "fail").length;
    const tail = warnings === 0 ? "" : ` (${warnings} warning${warnings === 1 ? "" : "s"})`;
    this.log("");
    this.log(
      ok
        ? `${green("Ready:")} every required check passed${tail}.`
        : `${red("Not ready:")} ${failed} check${failed === 1 ? "" : "s"} failed${tail}; apply the fixes above and re-run.`,
    );
  }
}
