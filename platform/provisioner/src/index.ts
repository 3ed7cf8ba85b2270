/**
 * Provisions VRSky tenants as NATS accounts in operator/JWT mode: an operator and SYSTEM account,
 * operator-mode nats-server configs and processes, one account per tenant with its plan's
 * JetStream limits, worker creds, baseline streams/KV/object stores, deprovisioning, and placement
 * of large tenants on dedicated servers (local processes or Kubernetes manifests).
 * @packageDocumentation
 */

export { tenantAccountClaims } from "./account-claims.js";
export type { JetStreamCapacity, ResolverRequestOptions } from "./account-resolver.js";
export {
  CLAIMS_DELETE_SUBJECT,
  CLAIMS_UPDATE_SUBJECT,
  deleteAccounts,
  jetStreamCapacity,
  pushAccountJwt,
} from "./account-resolver.js";
export type { ConnectWithCredsOptions } from "./creds.js";
export { connectWithCreds, formatCreds } from "./creds.js";
export type { DedicatedServers, LocalDedicatedServersOptions, NatsEndpoint } from "./dedicated-servers.js";
export { LocalDedicatedServers } from "./dedicated-servers.js";
export { JsonFileTenantStore } from "./json-file-tenant-store.js";
export type { KubernetesManifestOptions, KubernetesTenant } from "./kubernetes-manifests.js";
export { kubernetesManifests, TENANT_LABEL } from "./kubernetes-manifests.js";
export { nativeKeyPair } from "./native-key-pair.js";
export type { NatsServerConfigOptions } from "./nats-server-config.js";
export { natsServerConfig, writeNatsServerConfig } from "./nats-server-config.js";
export type { CreateOperatorOptions } from "./operator-keys.js";
export {
  createOperator,
  loadOperator,
  OPERATOR_FILE,
  OperatorKeys,
  SYSTEM_CREDS_FILE,
  UNLIMITED_NATS_LIMITS,
} from "./operator-keys.js";
export type { OperatorNats, StartOperatorNatsOptions } from "./operator-nats.js";
export { startOperatorNats } from "./operator-nats.js";
export type { PlacementOptions } from "./placement.js";
export { DEFAULT_DEDICATED_THRESHOLD, Placement, PlacementKind } from "./placement.js";
export type {
  DeprovisionResult,
  ProvisionedTenant,
  ProvisionerOptions,
  RelocateResult,
  TenantInfo,
  TenantMove,
} from "./provisioner.js";
export { Provisioner } from "./provisioner.js";
export { ProvisionerError, ProvisionerErrorCode } from "./provisioner-error.js";
export type { CopiedStreams } from "./stream-copy.js";
export { copyTenantStreams } from "./stream-copy.js";
export type { RemovedResources } from "./tenant-resources.js";
export { createTenantResources, openJetStream, removeTenantResources } from "./tenant-resources.js";
export type { TenantPlanInput, TenantSpecInput } from "./tenant-spec.js";
export {
  BaselineResources,
  KvBucketSpec,
  ObjectStoreSpec,
  StreamSpec,
  TenantId,
  TenantPlan,
  TenantSpec,
  UNLIMITED,
} from "./tenant-spec.js";
export type { TenantStore } from "./tenant-store.js";
export { MemoryTenantStore, TenantRecord, TenantUser } from "./tenant-store.js";
