/** Whether a Docker (or Docker-compatible) engine answered. */
export type DockerEngineStatus =
  | {
      /** An engine answered; Testcontainers can start containers. */
      available: true;
      /** Which engine, e.g. "Docker 27.3 on Ubuntu 24.04 at /var/run/docker.sock". */
      description: string;
    }
  | {
      /** No engine answered within the timeout. */
      available: false;
      /** Why, e.g. "Could not find a working container runtime strategy". */
      reason: string;
    };

/** Options of {@link detectDockerEngine}. */
export interface DetectDockerEngineOptions {
  /** Give up after this long, e.g. when `DOCKER_HOST` points at a host that does not answer. @default 3000 */
  timeoutMs?: number;
  /** Stops waiting early; the result is then "not available" with the abort as reason. */
  signal?: AbortSignal;
}

/** How to get a Docker engine, shown whenever none answers. */
export const DOCKER_INSTALL_HINT =
  "install and start Docker (https://docs.docker.com/get-docker/) or another engine Testcontainers " +
  "supports (Podman, Colima), or point DOCKER_HOST at one";

/**
 * Asks Testcontainers for a container runtime (it checks `DOCKER_HOST`, `~/.testcontainers.properties`
 * and the usual sockets) and reports whether one answered. Never throws and returns within
 * `timeoutMs`, so callers can fall back to local binaries quickly on machines without Docker.
 *
 * @param options - timeout and abort signal
 * @returns the engine's description, or why none is available
 * @example
 * ```ts
 * const docker = await detectDockerEngine();
 * if (!docker.available) console.log(`no Docker: ${docker.reason}`);
 * ```
 */
export async function detectDockerEngine(
  options: DetectDockerEngineOptions = {},
): Promise<DockerEngineStatus> {
  const timeoutMs = options.timeoutMs ?? 3_000;
  const probe = (async (): Promise<DockerEngineStatus> => {
    // Imported lazily: testcontainers takes about half a second to load and most runs never need it.
    const { getContainerRuntimeClient } = await import("testcontainers");
    const client = await getContainerRuntimeClient();
    const runtime = client.info.containerRuntime;
    return {
      available: true,
      description: `engine ${runtime.serverVersion} on ${runtime.operatingSystem} at ${runtime.remoteSocketPath || runtime.host}`,
    };
  })().catch(
    (error: unknown): DockerEngineStatus => ({
      available: false,
      reason: error instanceof Error ? error.message : String(error),
    }),
  );

  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const giveUp = new Promise<DockerEngineStatus>((resolve) => {
    timer = setTimeout(
      () => resolve({ available: false, reason: `no answer within ${timeoutMs} ms` }),
      timeoutMs,
    );
    onAbort = () => resolve({ available: false, reason: "detection was aborted" });
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener("abort", onAbort, { once: true });
  });
  try {
    // The probe keeps running in the background after a timeout; it never rejects.
    return await Promise.race([probe, giveUp]);
  } finally {
    clearTimeout(timer);
    if (onAbort) options.signal?.removeEventListener("abort", onAbort);
  }
}
