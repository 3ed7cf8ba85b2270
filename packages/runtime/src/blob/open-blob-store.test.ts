import { S3Client } from "@aws-sdk/client-s3";
import type { NatsConnection } from "@nats-io/transport-node";
import { type BlobStore, ConfigError } from "@vrsky/sdk";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { connectTestNats } from "./blob-test-backends.js";
import { JetStreamBlobStore } from "./jetstream-blob-store.js";
import { openBlobStore } from "./open-blob-store.js";
import { S3BlobStore } from "./s3-blob-store.js";

describe("openBlobStore", () => {
  let nc: NatsConnection;

  beforeAll(async () => {
    nc = await connectTestNats();
  });
  afterAll(async () => {
    await nc.close();
  });

  it("opens the JetStream object store by default bucket name", () => {
    const store = openBlobStore({ store: "jetstream" }, { nats: nc });
    expect(store).toBeInstanceOf(JetStreamBlobStore);
    expect(store.name).toBe("jetstream");
    expect((store as JetStreamBlobStore).bucket).toBe("vrsky-blobs");
    expectTypeOf(store).toExtend<BlobStore>();
  });

  it("opens an S3 store with the given client, bucket and prefix", async () => {
    const client = new S3Client({ region: "us-east-1" });
    const store = openBlobStore({ store: "s3", bucket: "blobs", prefix: "int/" }, { s3Client: client });
    expect(store).toBeInstanceOf(S3BlobStore);
    expect(store).toMatchObject({ name: "s3", bucket: "blobs", prefix: "int/" });
    await store.close?.();
    client.destroy();
  });

  it("reports every invalid setting at once", () => {
    let error: unknown;
    try {
      openBlobStore({ store: "s3", bucket: "x", endpoint: "not a url", secretAccessKey: "hunter2" } as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const issues = (error as ConfigError).issues.map((i) => i.path).sort();
    expect(issues).toEqual(["", "bucket", "endpoint"]);
    expect(String(error)).not.toContain("hunter2");
  });

  it("says what is missing when the jetstream store has no NATS connection", () => {
    expect(() => openBlobStore({ store: "jetstream" })).toThrow(/needs a NATS connection: pass \{ nats \}/);
  });
});
