import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";

/** What {@link probeNats} found. */
export interface NatsProbe {
  /** The server's version, e.g. "2.10.22". */
  serverVersion: string;
  /** Whether the JetStream API answered. */
  jetstream: boolean;
}

/**
 * Connects to NATS once and asks the JetStream API for account info.
 *
 * @param servers - a URL or a comma-separated list of URLs
 * @param options - `timeoutMs` for the connection and the request @default 3000
 * @returns the server version and whether JetStream is enabled
 * @throws Error from the NATS client when no server accepts the connection
 * @example
 * ```ts
 * const { jetstream } = await probeNats("nats://127.0.0.1:4222");
 * ```
 */
export async function probeNats(servers: string, options: { timeoutMs?: number } = {}): Promise<NatsProbe> {
  const timeout = options.timeoutMs ?? 3_000;
  const nc = await connect({
    servers: servers.split(",").map((s) => s.trim()),
    timeout,
    reconnect: false,
    maxReconnectAttempts: 0,
  });
  try {
    const serverVersion = nc.info?.version ?? "unknown";
    try {
      await jetstreamManager(nc, { timeout });
      return { serverVersion, jetstream: true };
    } catch {
      // "no responders" or "jetstream not enabled": either way the API did not answer.
      return { serverVersion, jetstream: false };
    }
  } finally {
    await nc.close();
  }
}
