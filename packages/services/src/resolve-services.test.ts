import { execFile } from "node:child_process";
import { chmod, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { ListBucketsCommand, S3Client } from "@aws-sdk/client-s3";
import { afterEach, describe, expect, expectTypeOf, it } from "vitest";
import { checkServices } from "./check-services.js";
import { detectDockerEngine } from "./docker-engine.js";
import { probeNats } from "./probe-nats.js";
import { probePostgres } from "./probe-postgres.js";
import {
  type ResolvedNats,
  type ResolvedPostgres,
  type ResolvedServices,
  resolveServices,
  type ServicesLogger,
} from "./resolve-services.js";
import { ServiceUnavailableError } from "./service-unavailable-error.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempParent(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "vrsky-services-test-"));
  // Under root, Postgres runs as the OS user "postgres", which must be able to enter this dir.
  await chmod(dir, 0o755);
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Command lines of running processes that mention `text` (the services' temp dirs do). */
async function processesMentioning(text: string): Promise<string[]> {
  const { stdout } = await promisify(execFile)("ps", ["-eo", "args="]);
  return stdout.split("\n").filter((line) => line.includes(text) && !line.startsWith("ps "));
}

function recordingLogger(): ServicesLogger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`) };
}

describe("resolveServices", () => {
  it("uses explicit URLs from the environment and starts nothing", async () => {
    const services = await resolveServices(
      { nats: true, postgres: true, s3: true },
      {
        env: {
          VRSKY_NATS_URL: "nats://app:nats-pw@nats.example:4222",
          VRSKY_POSTGRES_URL: "postgres://app:pg-pw@db.example:5432/app",
          VRSKY_S3_ENDPOINT: "http://minio.example:9000",
          VRSKY_S3_ACCESS_KEY: "key",
          VRSKY_S3_SECRET_KEY: "s3-secret",
        },
        prefer: "local",
        sources: ["url", "docker"],
      },
    );
    expect(services.nats).toEqual({
      url: "nats://app:nats-pw@nats.example:4222",
      origin: "url",
      description: "nats://app:***@nats.example:4222 (from VRSKY_NATS_URL)",
    });
    expect(services.postgres).toMatchObject({
      origin: "url",
      url: "postgres://app:pg-pw@db.example:5432/app",
    });
    expect(services.s3).toMatchObject({
      origin: "url",
      endpoint: "http://minio.example:9000",
      bucket: "vrsky",
    });
    expect(
      JSON.stringify([services.nats.description, services.postgres.description, services.s3.description]),
    ).not.toMatch(/pw|secret/);
    await services.stop();
  });

  it("rejects an unusable explicit URL instead of silently starting another server", async () => {
    const error = await resolveServices(
      { postgres: true },
      { env: { VRSKY_POSTGRES_URL: "mysql://root:pw@db/app" } },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(String(error)).toMatch(
      /VRSKY_POSTGRES_URL is "mysql:\/\/root:\*\*\*@db\/app".*fix VRSKY_POSTGRES_URL, or unset it/,
    );
  });

  it("lists each origin tried and its fix when the nats-server binary is missing", async () => {
    const logger = recordingLogger();
    const error = await resolveServices(
      { nats: true },
      { env: {}, sources: ["url", "local"], natsServerPath: "/nonexistent/nats-server", logger },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    if (!(error instanceof ServiceUnavailableError)) return;
    expect(error.service).toBe("nats");
    expect(error.attempts).toEqual([
      {
        origin: "url",
        problem: "VRSKY_NATS_URL is not set",
        fix: expect.stringContaining("set VRSKY_NATS_URL"),
      },
      {
        origin: "local",
        problem: "nats-server not found (/nonexistent/nats-server)",
        fix: expect.stringContaining("apt-get install nats-server"),
      },
    ]);
    expect(error.message).toMatch(
      /^nats is not available; tried:\n {2}- url: .*\n {2}- local: .*\nTo fix: set VRSKY_NATS_URL.*start Docker.*install nats-server/,
    );
    expect(logger.lines).toEqual([
      expect.stringMatching(/^warn nats: url skipped/),
      expect.stringMatching(/^warn nats: local skipped/),
    ]);
  });

  it("goes past Docker to local binaries when no Docker engine answers", async () => {
    const docker = await detectDockerEngine();
    const logger = recordingLogger();
    const services = await resolveServices({ nats: true }, { env: {}, tmpDir: await tempParent(), logger });
    cleanups.push(() => services.stop());
    expect(services.nats.origin).toBe(docker.available ? "docker" : "local");
    if (!docker.available)
      expect(logger.lines).toContainEqual(
        expect.stringMatching(/^warn nats: docker skipped: no Docker engine answered/),
      );
    expect((await probeNats(services.nats.url)).jetstream).toBe(true);
  });

  it("starts private local services with prefer local, and stop() ends them and removes their data", async () => {
    const parent = await tempParent();
    const services = await resolveServices(
      { nats: true, postgres: { walLevel: "logical" }, s3: { bucket: "blobs" } },
      { env: {}, prefer: "local", tmpDir: parent },
    );
    cleanups.push(() => services.stop());
    expect([services.nats.origin, services.postgres.origin, services.s3.origin]).toEqual([
      "local",
      "local",
      "local",
    ]);
    expect(services.postgres.description).toMatch(
      /^postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/postgres \(local/,
    );

    expect((await probeNats(services.nats.url)).jetstream).toBe(true);
    expect((await probePostgres(services.postgres.url)).walLevel).toBe("logical");
    const s3 = new S3Client(services.s3);
    const buckets = await s3.send(new ListBucketsCommand({}));
    s3.destroy();
    expect(buckets.Buckets?.map((b) => b.Name)).toEqual(["blobs"]);

    // A started Postgres satisfies an explicit URL that must have wal_level=logical.
    const viaUrl = await resolveServices(
      { postgres: { walLevel: "logical" } },
      { env: { VRSKY_POSTGRES_URL: services.postgres.url } },
    );
    expect(viaUrl.postgres.origin).toBe("url");

    const report = await checkServices({
      targets: { nats: services.nats.url, postgres: services.postgres.url, s3: services.s3 },
    });
    expect(report.checks.filter((c) => c.subject !== "docker").map((c) => c.status)).toEqual([
      "ok",
      "ok",
      "ok",
    ]);
    expect(report.ok).toBe(true);

    expect(await readdir(parent)).toHaveLength(3);
    expect(await processesMentioning(parent)).toHaveLength(2);
    await services.stop();
    await services.stop();
    expect(await readdir(parent)).toEqual([]);
    expect(await processesMentioning(parent)).toEqual([]);
    await expect(probeNats(services.nats.url, { timeoutMs: 500 })).rejects.toThrow();
  });

  it("types a requested service as present and an unrequested one as absent", () => {
    type Both = ResolvedServices<{ nats: true; postgres: { walLevel: "logical" } }>;
    expectTypeOf<Both["nats"]>().toEqualTypeOf<ResolvedNats>();
    expectTypeOf<Both["postgres"]>().toEqualTypeOf<ResolvedPostgres>();
    expectTypeOf<Both>().not.toHaveProperty("s3");
    expectTypeOf<ResolvedServices<{ nats: boolean }>["nats"]>().toEqualTypeOf<ResolvedNats | undefined>();
    const natsOnly = () => resolveServices({ nats: true });
    expectTypeOf<Awaited<ReturnType<typeof natsOnly>>["nats"]>().toEqualTypeOf<ResolvedNats>();
  });
});
