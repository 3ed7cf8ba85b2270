import { createHook } from "node:async_hooks";

/** How many resources of one type (`Timeout`, `TCPWRAP`, …) are still open. */
export interface OpenResources {
  /** Resource type as Node's async hooks name it. */
  type: string;
  /** How many are open. */
  count: number;
}

// Requests hold the process open while pending but have no hasRef(); handles answer hasRef().
const REQUEST_TYPES = new Set([
  "FSREQCALLBACK",
  "FSREQPROMISE",
  "GETADDRINFOREQWRAP",
  "GETNAMEINFOREQWRAP",
  "QUERYWRAP",
  "SHUTDOWNWRAP",
  "TCPCONNECTWRAP",
  "PIPECONNECTWRAP",
  "WRITEWRAP",
]);

interface Tracked {
  type: string;
  resource: WeakRef<object>;
}

/**
 * Records every handle and request created while it runs (timers, immediates, sockets, servers,
 * file handles, child processes) and forgets each once Node destroys it. Unlike a before/after
 * count of `process.getActiveResourcesInfo()`, it cannot be fooled by timers of the test runner
 * that happen to fire meanwhile.
 *
 * @example
 * ```ts
 * const tracker = trackResources();
 * try { await runAndClose(); console.log(await tracker.settled(1000)); } finally { tracker.stop(); }
 * ```
 */
export function trackResources(): {
  /** Resources created since tracking began that are still open and keep the process alive. */
  open(): OpenResources[];
  /** Waits until nothing is open or `deadlineMs` passes, and returns what is still open. */
  settled(deadlineMs: number): Promise<OpenResources[]>;
  /** Stops tracking. */
  stop(): void;
} {
  const tracked = new Map<number, Tracked>();
  const hook = createHook({
    init(asyncId, type, _triggerAsyncId, resource) {
      if (type === "PROMISE") return;
      tracked.set(asyncId, { type, resource: new WeakRef(resource) });
    },
    destroy(asyncId) {
      tracked.delete(asyncId);
    },
  });
  hook.enable();
  const open = (): OpenResources[] => {
    const counts = new Map<string, number>();
    for (const { type, resource } of tracked.values()) {
      const live = resource.deref() as { hasRef?: () => boolean; fd?: unknown } | undefined;
      if (!live) continue;
      // A closed FileHandle lives on until collected; its fd turns negative on close.
      const holds =
        type === "FILEHANDLE"
          ? typeof live.fd === "number" && live.fd >= 0
          : typeof live.hasRef === "function"
            ? live.hasRef()
            : REQUEST_TYPES.has(type);
      if (holds) counts.set(type, (counts.get(type) ?? 0) + 1);
    }
    return [...counts].map(([type, count]) => ({ type, count }));
  };
  return {
    open,
    async settled(deadlineMs) {
      const until = Date.now() + deadlineMs;
      for (;;) {
        const now = open();
        if (now.length === 0 || Date.now() >= until) return now;
        // Polled: Node has no event for "a handle closed"; closing takes a few loop turns. The
        // poll's own timer is created with the hook off so it is not counted; no destroy hook
        // can run in that synchronous window, so nothing tracked is missed.
        hook.disable();
        const pause = new Promise((resolve) => setTimeout(resolve, 10));
        hook.enable();
        await pause;
      }
    },
    stop() {
      hook.disable();
    },
  };
}
