/// <reference path="./s3rver.d.ts" />
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type S3rver from "s3rver";
import type { ManagedService } from "./managed-service.js";
import { bucketNameProblem, type S3Connection } from "./s3-connection.js";
import { ServiceUnavailableError } from "./service-unavailable-error.js";

/** Options of {@link startS3Server}. */
export interface StartS3ServerOptions {
  /** TCP port on 127.0.0.1. @default a free port picked by the OS */
  port?: number;
  /** Bucket created at start (3–63 chars, S3 naming rules). @default "vrsky" */
  bucket?: string;
  /** Parent of the temp folder holding the objects. @default os.tmpdir() */
  tmpDir?: string;
  /** Aborts the startup: the server is closed, the temp folder removed, the reason thrown. */
  signal?: AbortSignal;
}

/** An in-process S3 server started by {@link startS3Server}. */
export interface LocalS3Server extends ManagedService, S3Connection {
  /** The temp folder holding the objects; removed by `stop()`. */
  readonly dir: string;
}

/** The fixed key pair s3rver accepts. */
const S3RVER_KEY = "S3RVER";

/**
 * Starts an S3-speaking server ([s3rver](https://github.com/jamhall/s3rver)) inside this
 * process on 127.0.0.1, storing objects in a temp folder, with one bucket created. Good for
 * dev and tests; it implements the common object and bucket calls, not IAM or versioning.
 *
 * @param options - port, bucket, temp parent, abort signal
 * @returns the connection (spread it into `new S3Client(…)`) and `stop()`
 * @throws Error when the bucket name is invalid; ServiceUnavailableError when the port is taken
 * @example
 * ```ts
 * const s3 = await startS3Server({ bucket: "blobs" });
 * try {
 *   const client = new S3Client(s3);
 *   await client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: "a.txt", Body: "hi" }));
 * } finally {
 *   await s3.stop();
 * }
 * ```
 */
export async function startS3Server(options: StartS3ServerOptions = {}): Promise<LocalS3Server> {
  const { signal } = options;
  signal?.throwIfAborted();
  const bucket = options.bucket ?? "vrsky";
  const problem = bucketNameProblem(bucket);
  if (problem !== undefined) throw new Error(`startS3Server: ${problem}; pass a valid bucket option`);

  // Loaded on demand: s3rver pulls in koa and winston, which most CLI commands never need.
  const { default: S3rverServer } = await import("s3rver");
  const dir = await mkdtemp(join(options.tmpDir ?? tmpdir(), "vrsky-s3-"));
  const server = new S3rverServer({
    address: "127.0.0.1",
    port: options.port ?? 0,
    silent: true,
    directory: dir,
    configureBuckets: [{ name: bucket }],
  });
  let port: number;
  try {
    ({ port } = await server.run());
    signal?.throwIfAborted();
  } catch (error) {
    await closeServer(server);
    await rm(dir, { recursive: true, force: true });
    if (signal?.aborted) throw signal.reason;
    throw new ServiceUnavailableError(`s3rver could not listen on 127.0.0.1:${options.port ?? 0}`, {
      service: "s3",
      fix: "choose a free port, or set VRSKY_S3_ENDPOINT to an existing S3 server",
      cause: error,
    });
  }

  const endpoint = `http://127.0.0.1:${port}`;
  let stopped: Promise<void> | undefined;
  return {
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: S3RVER_KEY, secretAccessKey: S3RVER_KEY },
    bucket,
    forcePathStyle: true,
    dir,
    description: `${endpoint} bucket ${bucket} (local s3rver)`,
    stop() {
      stopped ??= (async () => {
        await closeServer(server);
        await rm(dir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}

async function closeServer(server: S3rver): Promise<void> {
  const http = server.httpServer;
  if (http === undefined || !http.listening) return;
  const closed = new Promise<void>((resolve) => http.close(() => resolve()));
  // close() waits for open keep-alive sockets of S3 clients the caller may not have destroyed.
  http.closeAllConnections();
  await closed;
}
