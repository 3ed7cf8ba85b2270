/**
 * Claim-check storage: blob stores (JetStream object store, S3), the inline-or-reference
 * decision, fan-out-aware release and the expiry sweeper.
 * @packageDocumentation
 */
export { openBlobReader } from "./blob-reader.js";
export type { BlobReleaserOptions, ReleaseResult } from "./blob-releaser.js";
export { BlobReleaser } from "./blob-releaser.js";
export type { BlobSweeperOptions, StartSweeperOptions, SweepResult } from "./blob-sweeper.js";
export { BlobSweeper, startSweeper } from "./blob-sweeper.js";
export { DEFAULT_BLOB_MAX_AGE_MS, DEFAULT_BLOB_TTL_MS, EXPIRES_AT_KEY } from "./expiry.js";
export type { JetStreamBlobStoreOptions } from "./jetstream-blob-store.js";
export { JetStreamBlobStore } from "./jetstream-blob-store.js";
export type { JetStreamTarget } from "./jetstream-target.js";
export type { BlobStoreDeps } from "./open-blob-store.js";
export {
  BlobStoreSettings,
  JetStreamBlobStoreSettings,
  openBlobStore,
  S3BlobStoreSettings,
} from "./open-blob-store.js";
export type { S3BlobStoreOptions } from "./s3-blob-store.js";
export { S3BlobStore, SHA256_KEY } from "./s3-blob-store.js";
export type { StoreBodyOptions } from "./store-body.js";
export { DEFAULT_INLINE_THRESHOLD_BYTES, storeBody } from "./store-body.js";
export type { SweepableBlobStore } from "./sweepable-blob-store.js";
