/** The oldest Node.js release VRSky supports (the engines field of every package). */
export const MINIMUM_NODE = "20.11.0";

/** The outcome of the Node.js check of `vrsky doctor`. */
export interface NodeCheck {
  /** Always `node`. */
  subject: "node";
  /** `fail` below {@link MINIMUM_NODE}. */
  status: "ok" | "fail";
  /** The version found. */
  summary: string;
  /** How to upgrade, when too old. */
  fix?: string;
}

/**
 * Checks that a Node.js version is at least {@link MINIMUM_NODE}.
 * @param version - e.g. `process.version` (`v20.11.1`)
 */
export function checkNodeVersion(version: string): NodeCheck {
  const found = parseVersion(version);
  const minimum = parseVersion(MINIMUM_NODE);
  const ok = found !== undefined && minimum !== undefined && compare(found, minimum) >= 0;
  if (ok) return { subject: "node", status: "ok", summary: `Node.js ${version}` };
  return {
    subject: "node",
    status: "fail",
    summary: `Node.js ${version} is older than ${MINIMUM_NODE}`,
    fix: `install Node.js ${MINIMUM_NODE} or newer (an LTS release from https://nodejs.org, or \`nvm install 20\`)`,
  };
}

function parseVersion(version: string): [number, number, number] | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 3; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
