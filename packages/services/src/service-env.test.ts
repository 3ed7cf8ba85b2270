import { describe, expect, it } from "vitest";
import { readNatsUrl, readPostgresUrl, readS3Connection } from "./service-env.js";

describe("service env", () => {
  it("treats unset and empty variables as unset", () => {
    expect(readNatsUrl({})).toEqual({ status: "unset" });
    expect(readPostgresUrl({ VRSKY_POSTGRES_URL: " " })).toEqual({ status: "unset" });
    expect(readS3Connection({})).toEqual({ status: "unset" });
  });

  it("reads a NATS server list and describes it without credentials", () => {
    const nats = readNatsUrl({ VRSKY_NATS_URL: "nats://u:pw@a:4222,b:4222" });
    expect(nats).toEqual({
      status: "set",
      value: "nats://u:pw@a:4222,b:4222",
      description: "nats://u:***@a:4222,b:4222",
    });
  });

  it("rejects a Postgres URL of another scheme without echoing its password", () => {
    const pg = readPostgresUrl({ VRSKY_POSTGRES_URL: "mysql://root:hunter2@db/app" });
    expect(pg.status).toBe("invalid");
    expect(JSON.stringify(pg)).not.toContain("hunter2");
  });

  it("reports every missing S3 setting at once", () => {
    const s3 = readS3Connection({ VRSKY_S3_ENDPOINT: "http://minio:9000", VRSKY_S3_BUCKET: "ab" });
    expect(s3).toMatchObject({ status: "invalid" });
    const problem = s3.status === "invalid" ? s3.problem : "";
    expect(problem).toMatch(/VRSKY_S3_ACCESS_KEY is not set.*VRSKY_S3_SECRET_KEY is not set.*3 to 63/);
  });

  it("builds a path-style S3 connection with defaults", () => {
    const s3 = readS3Connection({
      VRSKY_S3_ENDPOINT: "http://minio:9000",
      VRSKY_S3_ACCESS_KEY: "key",
      VRSKY_S3_SECRET_KEY: "secret",
    });
    expect(s3).toEqual({
      status: "set",
      value: {
        endpoint: "http://minio:9000",
        region: "us-east-1",
        credentials: { accessKeyId: "key", secretAccessKey: "secret" },
        bucket: "vrsky",
        forcePathStyle: true,
      },
      description: "http://minio:9000 bucket vrsky",
    });
  });
});
