/**
 * Resolves NATS JetStream, Postgres and S3 for `vrsky dev` and tests: explicit URLs, then
 * Docker through Testcontainers, then local binaries, or an error that says how to get each.
 * @packageDocumentation
 */

export type {
  CheckServicesOptions,
  CheckStatus,
  CheckSubject,
  ServiceCheck,
  ServicesReport,
} from "./check-services.js";
export { checkServices } from "./check-services.js";
export type { DetectDockerEngineOptions, DockerEngineStatus } from "./docker-engine.js";
export { DOCKER_INSTALL_HINT, detectDockerEngine } from "./docker-engine.js";
export type { DockerS3Service, DockerUrlService, StartContainerOptions } from "./docker-services.js";
export {
  DOCKER_IMAGES,
  startMinioContainer,
  startNatsContainer,
  startPostgresContainer,
} from "./docker-services.js";
export type { EmbeddedPostgres, StartEmbeddedPostgresOptions, WalLevel } from "./embedded-postgres.js";
export { startEmbeddedPostgres } from "./embedded-postgres.js";
export type { ManagedService } from "./managed-service.js";
export type { LocalNatsServer, StartNatsServerOptions } from "./nats-server.js";
export {
  findNatsServer,
  NATS_SERVER_INSTALL_HINT,
  NATS_SERVER_WELL_KNOWN_PATHS,
  startNatsServer,
} from "./nats-server.js";
export type { PostgresBinaries } from "./postgres-binaries.js";
export { locatePostgresBinaries, POSTGRES_INSTALL_HINT } from "./postgres-binaries.js";
export type { NatsProbe } from "./probe-nats.js";
export { probeNats } from "./probe-nats.js";
export type { PostgresProbe } from "./probe-postgres.js";
export { probePostgres } from "./probe-postgres.js";
export type { S3Probe } from "./probe-s3.js";
export { probeS3 } from "./probe-s3.js";
export { redactUrl } from "./redact-url.js";
export type {
  PostgresRequest,
  ResolvedNats,
  ResolvedPostgres,
  ResolvedS3,
  ResolvedServiceInfo,
  ResolvedServiceMap,
  ResolvedServices,
  ResolveServicesOptions,
  S3Request,
  ServicesLogger,
  ServicesRequest,
} from "./resolve-services.js";
export { resolveServices } from "./resolve-services.js";
export type { S3Connection } from "./s3-connection.js";
export { bucketNameProblem } from "./s3-connection.js";
export type { LocalS3Server, StartS3ServerOptions } from "./s3-server.js";
export { startS3Server } from "./s3-server.js";
export type { ExplicitService } from "./service-env.js";
export { readNatsUrl, readPostgresUrl, readS3Connection, ServiceEnv } from "./service-env.js";
export { ServiceName } from "./service-name.js";
export { DEFAULT_ORIGIN_ORDER, ServiceOrigin } from "./service-origin.js";
export type { ServiceAttempt, ServiceUnavailableErrorOptions } from "./service-unavailable-error.js";
export { ServiceUnavailableError } from "./service-unavailable-error.js";
