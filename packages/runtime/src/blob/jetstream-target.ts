import { type JetStreamClient, jetstream } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";

/**
 * Where a NATS-backed blob component talks to JetStream: a connection (default JetStream
 * options) or a JetStream client (to set a domain, prefix or timeout).
 */
export type JetStreamTarget = NatsConnection | JetStreamClient;

/**
 * The JetStream client for a {@link JetStreamTarget}.
 * @param target - a connection or a client
 */
export function toJetStreamClient(target: JetStreamTarget): JetStreamClient {
  return "jetstreamManager" in target ? target : jetstream(target);
}
