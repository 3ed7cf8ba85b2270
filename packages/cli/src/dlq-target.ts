import { Flags } from "@oclif/core";
import type { DeadLetterEntry, DeadLetterSelector } from "@vrsky/runtime";
import { connectToDev, type DevTargetFlags } from "./dev/dev-connection.js";
import { PlatformClient } from "./platform/platform-client.js";
import { profileFlag } from "./platform/profile-flag.js";

/** Flags that point `vrsky dlq` at an integration deployed to the platform. */
export const deployedFlags = {
  deployed: Flags.string({
    description:
      "An integration deployed to the platform (the current `vrsky login` profile) instead of the local `vrsky dev` runtime.",
  }),
  profile: profileFlag,
};

/** The dead letters `vrsky dlq` works on: the local dev runtime's, or a deployed integration's. */
export interface DlqTarget {
  /** The integration's name. */
  integration: string;
  list(options: { limit: number; fromSeq?: number }): Promise<{ total: number; entries: DeadLetterEntry[] }>;
  replay(selector: DeadLetterSelector): Promise<{ replayed: number }>;
  purge(selector: DeadLetterSelector): Promise<{ purged: number }>;
  close(): Promise<void>;
}

/**
 * Opens the target the flags name: `--deployed <name>` goes through the platform API (the
 * tenant's worker answers), anything else connects to the local runtime.
 */
export async function openDlqTarget(
  flags: DevTargetFlags & { deployed?: string | undefined; profile?: string | undefined },
): Promise<DlqTarget> {
  if (flags.deployed !== undefined) {
    const name = flags.deployed;
    const client = await PlatformClient.fromProfile({ profile: flags.profile });
    const path = `/v1/integrations/${encodeURIComponent(name)}/dlq`;
    return {
      integration: name,
      list: async ({ limit, fromSeq }) => {
        const answer = await client.request<{ total: number; items: DeadLetterEntry[] }>(
          "GET",
          path,
          undefined,
          {
            query: { limit: String(limit), ...(fromSeq ? { from: String(fromSeq) } : {}) },
          },
        );
        return { total: answer.total, entries: answer.items };
      },
      replay: (selector) => client.request<{ replayed: number }>("POST", `${path}/replay`, selector),
      purge: (selector) => client.request<{ purged: number }>("POST", `${path}/purge`, selector),
      close: async () => {},
    };
  }
  const dev = await connectToDev(flags);
  return {
    integration: dev.integration,
    list: async ({ limit, fromSeq }) => ({
      total: await dev.dlq.count(),
      entries: await dev.dlq.list({ limit, ...(fromSeq ? { fromSeq } : {}) }),
    }),
    replay: (selector) => dev.dlq.replay(selector),
    purge: (selector) => dev.dlq.purge(selector),
    close: () => dev.close(),
  };
}
