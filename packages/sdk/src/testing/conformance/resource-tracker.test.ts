import { open } from "node:fs/promises";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { trackResources } from "./resource-tracker.js";

describe("trackResources", () => {
  it("reports timers, servers and files opened while tracking until they are closed", async () => {
    const tracker = trackResources();
    try {
      const interval = setInterval(() => {}, 60_000);
      const server = createServer();
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const file = await open(fileURLToPath(import.meta.url));
      const types = tracker.open().map((o) => o.type);
      expect(types).toEqual(expect.arrayContaining(["Timeout", "TCPSERVERWRAP", "FILEHANDLE"]));
      clearInterval(interval);
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
      await file.close();
      expect(await tracker.settled(2000)).toEqual([]);
    } finally {
      tracker.stop();
    }
  });

  it("ignores resources opened before tracking and unref'd timers", async () => {
    const before = setInterval(() => {}, 60_000);
    const tracker = trackResources();
    try {
      const background = setInterval(() => {}, 60_000);
      background.unref();
      expect(tracker.open()).toEqual([]);
      clearInterval(background);
    } finally {
      tracker.stop();
      clearInterval(before);
    }
  });
});
