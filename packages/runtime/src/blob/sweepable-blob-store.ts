import type { BlobStore } from "@vrsky/sdk";

/**
 * A {@link BlobStore} that can delete its expired blobs itself. Both VRSky backends are
 * sweepable: neither the NATS 2.9 object store nor s3rver expires single objects.
 */
export interface SweepableBlobStore extends BlobStore {
  /**
   * Deletes every blob whose `expires-at` is at or before `now`.
   * @param now - the reference time @default new Date()
   * @returns how many blobs were deleted
   */
  sweep(now?: Date): Promise<number>;
  /** Releases what the store opened (not the connection or client it was given). */
  close?(): Promise<void>;
}
