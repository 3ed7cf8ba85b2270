import type { S3Connection } from "./s3-connection.js";

/** What {@link probeS3} found. */
export interface S3Probe {
  /** The buckets the credentials can list. */
  buckets: string[];
  /** Whether the connection's bucket is among them. */
  bucketExists: boolean;
}

/**
 * Lists the buckets of an S3 endpoint once.
 *
 * @param connection - endpoint, region, credentials and bucket
 * @param options - `timeoutMs` for the request @default 3000; `signal` to abort it
 * @returns the buckets and whether `connection.bucket` exists
 * @throws Error from the AWS SDK when the endpoint is unreachable or the credentials are refused
 * @example
 * ```ts
 * const { bucketExists } = await probeS3(s3);
 * ```
 */
export async function probeS3(
  connection: S3Connection,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<S3Probe> {
  const timeout = options.timeoutMs ?? 3_000;
  const { ListBucketsCommand, S3Client } = await import("@aws-sdk/client-s3");
  const client = new S3Client({
    ...connection,
    maxAttempts: 1,
    requestHandler: { connectionTimeout: timeout, requestTimeout: timeout },
  });
  try {
    const signals = [AbortSignal.timeout(timeout), ...(options.signal ? [options.signal] : [])];
    const listed = await client.send(new ListBucketsCommand({}), { abortSignal: AbortSignal.any(signals) });
    const buckets = (listed.Buckets ?? []).flatMap((b) => (b.Name === undefined ? [] : [b.Name]));
    return { buckets, bucketExists: buckets.includes(connection.bucket) };
  } finally {
    client.destroy();
  }
}
