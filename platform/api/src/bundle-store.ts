import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";

/** Where connector bundles live. Keys look like `<tenant>/<name>/<version>.tgz`. */
export interface BundleStore {
  /**
   * Stores a bundle, replacing any object under the same key.
   * @param key - object key
   * @param body - bundle bytes
   */
  put(key: string, body: Uint8Array): Promise<void>;
  /**
   * Reads a bundle.
   * @param key - object key
   * @throws Error when the object does not exist
   */
  get(key: string): Promise<Uint8Array>;
  /**
   * Deletes a bundle; deleting a missing key succeeds.
   * @param key - object key
   */
  delete(key: string): Promise<void>;
}

/** Options of {@link S3BundleStore}. */
export interface S3BundleStoreOptions {
  /** A configured client; the caller owns it and destroys it. */
  client: S3Client;
  /** Bucket holding the bundles. */
  bucket: string;
  /** Key prefix. @default "bundles/" */
  prefix?: string;
}

/**
 * A {@link BundleStore} on any S3-speaking server.
 *
 * @example
 * ```ts
 * const s3 = await startS3Server();
 * const store = new S3BundleStore({ client: new S3Client(s3), bucket: s3.bucket });
 * ```
 */
export class S3BundleStore implements BundleStore {
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly #prefix: string;

  /** @param options - client, bucket and key prefix */
  constructor(options: S3BundleStoreOptions) {
    this.#client = options.client;
    this.#bucket = options.bucket;
    this.#prefix = options.prefix ?? "bundles/";
  }

  async put(key: string, body: Uint8Array): Promise<void> {
    await this.#client.send(
      new PutObjectCommand({
        Bucket: this.#bucket,
        Key: this.#prefix + key,
        Body: body,
        ContentType: "application/octet-stream",
      }),
    );
  }

  async get(key: string): Promise<Uint8Array> {
    const out = await this.#client.send(
      new GetObjectCommand({ Bucket: this.#bucket, Key: this.#prefix + key }),
    );
    if (out.Body === undefined) throw new Error(`bundle ${key} has no body in bucket ${this.#bucket}`);
    return out.Body.transformToByteArray();
  }

  async delete(key: string): Promise<void> {
    await this.#client.send(new DeleteObjectCommand({ Bucket: this.#bucket, Key: this.#prefix + key }));
  }
}
