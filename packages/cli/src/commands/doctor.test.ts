import { describe, expect, it } from "vitest";
import { parseJson, runCli } from "../../test/run-cli.js";
import type { DoctorResult } from "./doctor.js";

// The project's machines run NATS with JetStream on 127.0.0.1:4222 (see ARCHITECTURE.md).
const NATS_URL = process.env.VRSKY_NATS_URL ?? "nats://127.0.0.1:4222";

describe("vrsky doctor", () => {
  it("reports Node.js and a reachable NATS with JetStream as ok, as JSON", async () => {
    const run = await runCli(["doctor", "--json", "--nats-url", NATS_URL]);
    const result = parseJson<DoctorResult>(run);
    const bySubject = Object.fromEntries(result.checks.map((c) => [c.subject, c]));
    expect(Object.keys(bySubject).sort()).toEqual(["docker", "nats", "node", "postgres", "s3"]);
    expect(bySubject.node?.status).toBe("ok");
    expect(bySubject.nats).toMatchObject({ status: "ok", required: true });
    expect(bySubject.nats?.summary).toContain("JetStream enabled");
    expect(bySubject.docker?.required).toBe(false);
    expect(run.code).toBe(result.ok ? 0 : 1);
  });

  it("fails with exit 1 and a fix when a required service is unreachable", async () => {
    const run = await runCli(["doctor", "--nats-url", "nats://127.0.0.1:1", "--timeout", "500"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/✗ nats\s+nats:\/\/127\.0\.0\.1:1 not reachable/);
    expect(run.stdout).toContain("→ start NATS there or fix VRSKY_NATS_URL");
    expect(run.stdout).toContain("Not ready:");
  });
});
