import type { NatsConnection } from "@nats-io/transport-node";
import { z } from "zod";
import { ProvisionerError } from "./provisioner-error.js";

/** The subject nats-server's full resolver answers with an account JWT as payload. */
export const CLAIMS_UPDATE_SUBJECT = "$SYS.REQ.CLAIMS.UPDATE";
/** The subject nats-server's full resolver answers with an operator-signed delete request. */
export const CLAIMS_DELETE_SUBJECT = "$SYS.REQ.CLAIMS.DELETE";

const ClaimsResponse = z.object({
  data: z.object({ code: z.number(), message: z.string() }).optional(),
  error: z.object({ code: z.number(), description: z.string() }).optional(),
});

/** Options of {@link pushAccountJwt} and {@link deleteAccounts}. */
export interface ResolverRequestOptions {
  /** Names the request in error messages, e.g. `account of tenant "acme"`. */
  what: string;
  /** The server URL, for error messages. */
  url: string;
  /** @default 5000 */
  timeoutMs?: number;
}

/**
 * Pushes an account JWT to a full-resolver nats-server through its system account: the server
 * stores it in the resolver dir and applies it at once (new limits, revocations) to connected clients.
 *
 * @param system - a connection as the system user
 * @param accountJwt - the account JWT, signed by a key the operator trusts
 * @param options - names for messages, timeout
 * @throws ProvisionerError `CLAIMS_REJECTED` when the server rejects the JWT or does not answer
 */
export async function pushAccountJwt(
  system: NatsConnection,
  accountJwt: string,
  options: ResolverRequestOptions,
): Promise<void> {
  await resolverRequest(system, CLAIMS_UPDATE_SUBJECT, accountJwt, `update the ${options.what}`, options);
}

/**
 * Deletes accounts from a full-resolver nats-server (`allow_delete: true`): their JWTs leave the
 * resolver dir, their clients are disconnected, and new connections fail with
 * `Authorization Violation`.
 *
 * @param system - a connection as the system user
 * @param deleteRequest - the request from `OperatorKeys.encodeDeleteRequest`
 * @param options - names for messages, timeout
 * @throws ProvisionerError `CLAIMS_REJECTED` when the server refuses or does not answer
 */
export async function deleteAccounts(
  system: NatsConnection,
  deleteRequest: string,
  options: ResolverRequestOptions,
): Promise<void> {
  await resolverRequest(system, CLAIMS_DELETE_SUBJECT, deleteRequest, `delete the ${options.what}`, options);
}

async function resolverRequest(
  system: NatsConnection,
  subject: string,
  payload: string,
  action: string,
  options: ResolverRequestOptions,
): Promise<void> {
  const where = `nats-server ${options.url} (${subject})`;
  let reply: unknown;
  try {
    const msg = await system.request(subject, payload, { timeout: options.timeoutMs ?? 5_000 });
    reply = msg.json();
  } catch (error) {
    throw new ProvisionerError(
      "CLAIMS_REJECTED",
      `could not ${action}: no answer from ${where}; check that it runs in operator mode with \`resolver: { type: full }\``,
      { cause: error },
    );
  }
  const parsed = ClaimsResponse.safeParse(reply);
  if (!parsed.success) {
    throw new ProvisionerError("CLAIMS_REJECTED", `could not ${action}: ${where} sent an unexpected reply`);
  }
  const { data, error } = parsed.data;
  if (error !== undefined || data === undefined || data.code !== 200) {
    const reason = error?.description ?? data?.message ?? "no reason given";
    throw new ProvisionerError("CLAIMS_REJECTED", `${where} refused to ${action}: ${reason}`);
  }
}

/** A server's JetStream capacity, as configured or sized by nats-server itself. */
export interface JetStreamCapacity {
  /** `max_memory_store` in bytes. */
  maxMemoryBytes: number;
  /** `max_file_store` in bytes. */
  maxStorageBytes: number;
  /**
   * Whether the server is part of a JetStream cluster. Only a standalone server reserves each
   * account's limits against its capacity (and refuses accounts that do not fit).
   */
  clustered: boolean;
}

const JszResponse = z.object({
  data: z.object({
    config: z.object({ max_memory: z.number(), max_storage: z.number() }),
    meta_cluster: z.unknown().optional(),
  }),
});

/**
 * Asks a server for its JetStream capacity (`$SYS.REQ.SERVER.PING.JSZ`).
 *
 * @param system - a connection as the system user
 * @returns the capacity, or `undefined` when the server has no JetStream or does not answer
 */
export async function jetStreamCapacity(system: NatsConnection): Promise<JetStreamCapacity | undefined> {
  try {
    const reply = JszResponse.safeParse((await system.request("$SYS.REQ.SERVER.PING.JSZ", "")).json());
    if (!reply.success) return undefined;
    const { config, meta_cluster } = reply.data.data;
    return {
      maxMemoryBytes: config.max_memory,
      maxStorageBytes: config.max_storage,
      clustered: meta_cluster !== undefined,
    };
  } catch {
    return undefined;
  }
}
