import { describe, expect, it } from "vitest";
import { checkServices } from "./check-services.js";
import { findFreePort } from "./free-port.js";

describe("checkServices", () => {
  it("fails each unreachable service with a fix and without its password", async () => {
    const port = await findFreePort();
    const report = await checkServices({
      env: {},
      targets: {
        nats: `nats://app:nats-pw@127.0.0.1:${port}`,
        postgres: `postgres://app:pg-pw@127.0.0.1:${port}/app`,
        s3: {
          endpoint: `http://127.0.0.1:${port}`,
          region: "us-east-1",
          credentials: { accessKeyId: "key", secretAccessKey: "s3-secret" },
          bucket: "vrsky",
          forcePathStyle: true,
        },
      },
      timeoutMs: 2_000,
    });
    expect(report.ok).toBe(false);
    const services = report.checks.filter((c) => c.subject !== "docker");
    expect(services.map((c) => [c.subject, c.status])).toEqual([
      ["nats", "fail"],
      ["postgres", "fail"],
      ["s3", "fail"],
    ]);
    for (const check of services) {
      expect(check.summary).toMatch(/not (reachable|usable)/);
      expect(check.fix).toMatch(/VRSKY_/);
    }
    expect(JSON.stringify(report)).not.toMatch(/nats-pw|pg-pw|s3-secret/);
  });

  it("reports what the resolver would start when no URL is set", async () => {
    const report = await checkServices({ env: {} });
    const bySubject = Object.fromEntries(report.checks.map((c) => [c.subject, c]));
    expect(bySubject.nats).toMatchObject({
      status: "ok",
      summary: expect.stringMatching(/VRSKY_NATS_URL not set; will/),
    });
    expect(bySubject.postgres).toMatchObject({
      status: "ok",
      summary: expect.stringMatching(/will (start|run)/),
    });
    expect(bySubject.s3).toMatchObject({ status: "ok", summary: expect.stringContaining("s3rver") });
    expect(bySubject.docker?.status).toMatch(/^(ok|warn)$/);
    expect(report.ok).toBe(true);
  });
});
