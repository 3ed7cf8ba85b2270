import { type ConnectionOptions, connect, type NatsConnection } from "@nats-io/transport-node";

/**
 * Connects to NATS the way a worker should: reconnecting forever (a nats-server restart is a
 * pause, not a failure) and named so `nats server report connections` shows who is who.
 *
 * @param servers - one URL or several, e.g. `nats://127.0.0.1:4222`
 * @param options - any other nats.js connection option (credentials for a tenant account, …)
 * @throws when the first connection cannot be made (wrong URL, nothing listening)
 */
export function connectNats(
  servers: string | string[],
  options: Omit<ConnectionOptions, "servers"> = {},
): Promise<NatsConnection> {
  return connect({
    servers,
    name: "vrsky-worker",
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    // Capturing a stack trace for every request (each JetStream publish is one) costs more
    // CPU than the publish itself on the hot path.
    noAsyncTraces: true,
    ...options,
  });
}

export type { NatsConnection };
