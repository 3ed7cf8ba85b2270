import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CLI, parseJson, runCli } from "../../test/run-cli.js";
import type { DevResult } from "./dev.js";
import type { DlqListResult } from "./dlq/list.js";
import type { SendCommandResult } from "./send.js";

const NATS_URL = process.env.VRSKY_NATS_URL ?? "nats://127.0.0.1:4222";
const dir = mkdtempSync(join(tmpdir(), "vrsky-dev-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function project(name: string): string {
  const root = mkdtempSync(join(dir, `${name}-`));
  writeFileSync(
    join(root, "integration.yaml"),
    `name: ${name}
source: { connector: dev-inbox, config: {} }
steps:
  - name: total
    connector: json-transform
    config: { expression: '{ "id": id, "total": qty * price }' }
  - name: route
    connector: conditional-router
    config: { routes: [{ name: big, when: "total > 100" }], default: standard }
sinks:
  priority: { connector: dev-log, config: {} }
  archive: { connector: dev-log, config: {} }
routes:
  big: [priority, archive]
  standard: [archive]
`,
  );
  writeFileSync(
    join(root, "orders.ndjson"),
    [
      '{"id":1,"qty":2,"price":10}',
      '{"id":2,"qty":5,"price":40}',
      '{"id":4,"qty":"two","price":3}',
      '{"id":3,"qty":1,"price":5}',
    ].join("\n"),
  );
  return root;
}

describe("vrsky dev", () => {
  it("runs a spec to completion with --send and --exit-when-idle, then the DLQ commands inspect what failed", async () => {
    const name = `devcli-${crypto.randomUUID().slice(0, 6)}`;
    const root = project(name);
    const env = { VRSKY_NATS_URL: NATS_URL };
    const run = await runCli(["dev", ".", "--send", "orders.ndjson", "--exit-when-idle", "--json"], {
      cwd: root,
      env,
    });
    const result = parseJson<DevResult>(run);
    expect(run.code).toBe(0);
    expect(result.integration).toBe(name);
    expect(result.delivered).toEqual({ archive: 3, priority: 1 });
    expect(result.deadLettered).toBe(1);
    expect(existsSync(join(root, ".vrsky", "dev.json"))).toBe(false);

    const target = ["--nats-url", NATS_URL, "--integration", name];
    const list = parseJson<DlqListResult>(await runCli(["dlq", "list", "--json", ...target]));
    expect(list.total).toBe(1);
    expect(list.entries[0]?.failure).toMatchObject({ stage: "process", step: "total", code: "FATAL" });
    const seq = String(list.entries[0]?.seq);
    const show = await runCli(["dlq", "show", seq, ...target]);
    expect(show.stdout).toContain('{"id":4,"qty":"two","price":3}');
    const refused = await runCli(["dlq", "purge", ...target]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--seq, --id, --step, --error-contains or --all/);
    const purged = parseJson<{ purged: number }>(
      await runCli(["dlq", "purge", "--all", "--json", ...target]),
    );
    expect(purged.purged).toBe(1);
  });

  it("sends into a running session found through .vrsky/dev.json, and says what to do when none runs", async () => {
    const name = `devsend-${crypto.randomUUID().slice(0, 6)}`;
    const root = project(name);
    const none = await runCli(["send", "orders.ndjson"], { cwd: root });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("vrsky dev");

    const dev: ChildProcess = spawn(process.execPath, [CLI, "dev", ".", "--no-tui", "--log-level", "warn"], {
      cwd: root,
      env: { ...process.env, VRSKY_NATS_URL: NATS_URL, NO_COLOR: "1", NODE_OPTIONS: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    dev.stderr?.on("data", (c) => {
      stderr += c;
    });
    try {
      await expect.poll(() => existsSync(join(root, ".vrsky", "dev.json")), { timeout: 20_000 }).toBe(true);
      const sent = parseJson<SendCommandResult>(
        await runCli(["send", "orders.ndjson", "--json"], { cwd: root }),
      );
      expect(sent.integration).toBe(name);
      expect(sent.sent).toHaveLength(4);
      writeFileSync(join(root, "one.json"), '{"id":9,"qty":1,"price":1}');
      const sendOne = async () =>
        parseJson<SendCommandResult>(
          await runCli(["send", "one.json", "--key", "order-9", "--json"], { cwd: root }),
        );
      expect((await sendOne()).sent[0]).toMatchObject({ id: "order-9", duplicate: false });
      expect((await sendOne()).sent[0]).toMatchObject({ id: "order-9", duplicate: true });
      // --record saves what arrives at the source as fixtures, without consuming it.
      let recordingDone = false;
      const recording = runCli(["send", "--record", "recorded", "--count", "1", "--json"], {
        cwd: root,
      }).then((run) => {
        recordingDone = true;
        return run;
      });
      // Send until the recorder, which needs a moment to subscribe, has caught one.
      await expect
        .poll(
          async () => {
            await runCli(["send", "one.json", "--key", "order-10"], { cwd: root });
            return recordingDone;
          },
          { timeout: 20_000, interval: 100 },
        )
        .toBe(true);
      const recorded = parseJson<SendCommandResult>(await recording);
      expect(recorded.recorded).toHaveLength(1);
      const fixture = JSON.parse(readFileSync(join(root, recorded.recorded?.[0] ?? ""), "utf8"));
      expect(fixture).toMatchObject({
        id: "order-10",
        body: { encoding: "utf8", data: '{"id":9,"qty":1,"price":1}' },
      });
      await expect.poll(() => stderr, { timeout: 15_000 }).toMatch(/out\.priority/);
    } finally {
      const exited = new Promise((resolve) => dev.once("exit", resolve));
      dev.kill("SIGINT");
      await exited;
    }
    expect(
      JSON.parse(readFileSync(join(root, "orders.ndjson"), "utf8").split("\n")[0] ?? "{}"),
    ).toMatchObject({ id: 1 });
  });
});
