import { S3Client, type S3ClientConfig } from "@aws-sdk/client-s3";
import { BlobReleaser } from "../blob/blob-releaser.js";
import { startSweeper } from "../blob/blob-sweeper.js";
import { JetStreamBlobStore } from "../blob/jetstream-blob-store.js";
import { S3BlobStore } from "../blob/s3-blob-store.js";
import type { SweepableBlobStore } from "../blob/sweepable-blob-store.js";
import { createClaimCheck } from "./claim-check.js";
import { IntegrationRunner, type RunnableIntegration, type RunnerOptions } from "./integration-runner.js";
import { topologyOf } from "./topology.js";

/** Where S3 claim-check blobs go when an integration sets `claimCheck.store: s3`. */
export interface S3Settings {
  /** Client config: endpoint, region, credentials, `forcePathStyle` for MinIO. */
  client: S3ClientConfig;
  bucket: string;
  /** Key prefix inside the bucket. @default `<integration>/` */
  prefix?: string;
}

/** Options of {@link startIntegration}: the runner's, minus the claim check it builds. */
export interface StartIntegrationOptions extends Omit<RunnerOptions, "claimCheck"> {
  /** Required when the integration stores claim-check bodies in S3. */
  s3?: S3Settings;
  /** How often expired blobs are swept. @default 60_000 */
  sweepIntervalMs?: number;
}

/**
 * Starts an integration with its claim-check services: the JetStream object store (default)
 * or S3 for large bodies, fan-out-aware release, and a sweeper for expired leftovers.
 *
 * @param integration - the resolved integration (see `resolveIntegration`)
 * @param options - connection, tenant, worker id, logger, registry, timeouts
 * @throws ConfigError-like `Error` when the integration uses S3 and no `s3` settings are given
 * @example
 * ```ts
 * const runner = await startIntegration(resolved, { nc });
 * process.on("SIGTERM", () => void runner.stop());
 * ```
 */
export async function startIntegration(
  integration: RunnableIntegration,
  options: StartIntegrationOptions,
): Promise<IntegrationRunner> {
  const t = topologyOf(integration.name);
  const { claimCheck: settings } = integration.settings;
  const jsStore = new JetStreamBlobStore({
    connection: options.nc,
    bucket: t.blobBucket,
    // A safety net only: refs carry their own expiry and the sweeper deletes expired blobs.
    maxAgeMs: 2 * settings.ttlMs,
  });
  const stores: SweepableBlobStore[] = [jsStore];
  if (settings.store === "s3") {
    if (!options.s3) {
      throw new Error(
        `integration ${integration.name} stores large bodies in S3 (settings.claimCheck.store: s3) but no S3 is configured; set VRSKY_S3_ENDPOINT and VRSKY_S3_BUCKET, or use store: jetstream`,
      );
    }
    stores.unshift(
      new S3BlobStore({
        client: new S3Client(options.s3.client),
        bucket: options.s3.bucket,
        prefix: options.s3.prefix ?? `${integration.name}/`,
      }),
    );
  }
  const [primary, ...others] = stores as [SweepableBlobStore, ...SweepableBlobStore[]];
  const releaser = new BlobReleaser({ connection: options.nc, bucket: t.blobHoldersBucket, stores });
  const claimCheck = createClaimCheck({
    store: primary,
    otherStores: others,
    releaser,
    thresholdBytes: settings.thresholdBytes,
    ttlMs: settings.ttlMs,
  });
  const sweeping = new AbortController();
  const logger = options.logger;
  startSweeper({
    stores,
    releaser,
    intervalMs: options.sweepIntervalMs ?? 60_000,
    signal: sweeping.signal,
    onError: (error) => logger?.warn({ error: (error as Error).message }, "blob sweep failed"),
  });
  return IntegrationRunner.start(integration, {
    ...options,
    claimCheck,
    onStop: () => sweeping.abort(),
  });
}
