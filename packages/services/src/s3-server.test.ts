import { existsSync } from "node:fs";
import { GetObjectCommand, ListBucketsCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { startS3Server } from "./s3-server.js";

describe("startS3Server", () => {
  it("serves puts and gets to the AWS SDK, and stop() closes the port and removes the objects", async () => {
    const s3 = await startS3Server({ bucket: "blobs" });
    const client = new S3Client(s3);
    try {
      const buckets = await client.send(new ListBucketsCommand({}));
      expect(buckets.Buckets?.map((b) => b.Name)).toEqual(["blobs"]);
      await client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: "orders/1.json", Body: '{"id":1}' }));
      const got = await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: "orders/1.json" }));
      expect(await got.Body?.transformToString()).toBe('{"id":1}');
    } finally {
      await s3.stop();
    }
    expect(existsSync(s3.dir)).toBe(false);
    await expect(fetch(s3.endpoint)).rejects.toThrow();
    client.destroy();
  });

  it("rejects a bucket name S3 would refuse", async () => {
    await expect(startS3Server({ bucket: "ab" })).rejects.toThrow(/must be 3 to 63 characters/);
  });
});
