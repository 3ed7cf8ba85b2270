import { existsSync, readFileSync } from "node:fs";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import {
  connectNats,
  DeadLetterQueue,
  JetStreamBlobStore,
  type NatsConnection,
  openBlobReader,
  topologyOf,
} from "@vrsky/runtime";
import { CliError, CliErrorCode } from "../cli-error.js";
import { type DevState, devStatePath } from "./dev-session.js";

/** Where a command finds the local runtime: flags first, then the running `vrsky dev`. */
export interface DevTargetFlags {
  "nats-url"?: string | undefined;
  integration?: string | undefined;
}

/** A connection to the integration a `vrsky dev` session runs. */
export interface DevConnection {
  nc: NatsConnection;
  integration: string;
  claimCheck: DevState["claimCheck"];
  /** The integration's dead-letter queue. */
  dlq: DeadLetterQueue;
  close(): Promise<void>;
}

/**
 * Connects to the local runtime: `--nats-url`/`--integration` when given, otherwise the
 * session that `vrsky dev` recorded in `.vrsky/dev.json` of the working directory.
 * @throws CliError saying to start `vrsky dev` when neither is there
 */
export async function connectToDev(flags: DevTargetFlags, cwd = process.cwd()): Promise<DevConnection> {
  const path = devStatePath(cwd);
  const state: Partial<DevState> = existsSync(path)
    ? (JSON.parse(readFileSync(path, "utf8")) as DevState)
    : {};
  const natsUrl = flags["nats-url"] ?? process.env.VRSKY_NATS_URL ?? state.natsUrl;
  const integration = flags.integration ?? state.integration;
  if (!natsUrl || !integration) {
    throw new CliError(CliErrorCode.NotFound, "no running `vrsky dev` session found in this directory", {
      suggestions: [
        "start one with `vrsky dev <integration.yaml>` in another terminal",
        "or pass --nats-url and --integration",
      ],
    });
  }
  let nc: NatsConnection;
  try {
    nc = await connectNats(natsUrl, { name: "vrsky-cli", maxReconnectAttempts: 0 });
  } catch (cause) {
    throw new CliError(CliErrorCode.ServiceUnavailable, "cannot reach the NATS server of the dev session", {
      cause,
      suggestions: ["is `vrsky dev` still running?", "run `vrsky doctor`"],
    });
  }
  const t = topologyOf(integration);
  const reader = openBlobReader([new JetStreamBlobStore({ connection: nc, bucket: t.blobBucket })]);
  const dlq = new DeadLetterQueue(jetstream(nc), await jetstreamManager(nc), t, reader);
  return {
    nc,
    integration,
    claimCheck: state.claimCheck ?? { thresholdBytes: 256 * 1024, ttlMs: 15 * 60_000 },
    dlq,
    close: () => nc.close(),
  };
}
