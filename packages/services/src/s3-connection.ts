/**
 * How to reach an S3-compatible bucket. Spreads into an `S3Client` config:
 * `new S3Client(s3)` works because the extra fields are ignored.
 *
 * @example
 * ```ts
 * const { s3 } = await resolveServices({ s3: true });
 * const client = new S3Client(s3);
 * await client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: "a.txt", Body: "hi" }));
 * ```
 */
export interface S3Connection {
  /** Endpoint URL, e.g. `http://127.0.0.1:41234`. */
  endpoint: string;
  /** Signing region. */
  region: string;
  /** Access key pair. */
  credentials: {
    /** Access key id. */
    accessKeyId: string;
    /** Secret access key; never logged. */
    secretAccessKey: string;
  };
  /** A bucket that exists (created for local and Docker servers). */
  bucket: string;
  /** Path-style addressing (`endpoint/bucket/key`), which local and self-hosted servers need. */
  forcePathStyle: boolean;
}

/** The smallest bucket name S3 accepts. */
const MIN_BUCKET_NAME = 3;

/**
 * Checks a bucket name against S3's rules (3–63 chars of lowercase letters, digits, `.` and `-`,
 * starting and ending with a letter or digit).
 *
 * @param bucket - the name to check
 * @returns a description of the problem, or `undefined` when the name is valid
 */
export function bucketNameProblem(bucket: string): string | undefined {
  if (bucket.length < MIN_BUCKET_NAME || bucket.length > 63) {
    return `bucket name "${bucket}" must be 3 to 63 characters long`;
  }
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(bucket)) {
    return `bucket name "${bucket}" may only hold lowercase letters, digits, "." and "-", and must start and end with a letter or digit`;
  }
  return undefined;
}
