import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jetstreamManager } from "@nats-io/jetstream";
import { deleteTopology } from "@vrsky/runtime";
import { pino } from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { type DevEvent, DevSession, devStatePath } from "./dev-session.js";
import { resolveDevTarget } from "./dev-target.js";
import { parseSendInput, sendMessages } from "./send-messages.js";

const dir = mkdtempSync(join(tmpdir(), "vrsky-dev-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function spec(name: string, expression: string): string {
  return `name: ${name}
source:
  connector: dev-inbox
  config: {}
steps:
  - name: shape
    connector: json-transform
    config:
      expression: '${expression}'
sinks:
  log:
    connector: dev-log
    config: {}
`;
}

describe("vrsky dev session", () => {
  it("runs a spec on a NATS it starts itself, hot-reloads an edit and loses nothing in flight", async () => {
    const name = `dev-${crypto.randomUUID().slice(0, 6)}`;
    const file = join(dir, "integration.yaml");
    writeFileSync(file, spec(name, '{ "v": 1, "n": n }'));
    const events: DevEvent[] = [];
    const session = await DevSession.start({
      target: resolveDevTarget(dir, dir),
      cwd: dir,
      logger: pino({ level: "silent" }),
      env: { PATH: process.env.PATH ?? "" },
      prefer: "local",
      onEvent: (e) => events.push(e),
    });
    try {
      expect(events[0]).toMatchObject({ type: "services", origin: "local" });
      const state = JSON.parse(readFileSync(devStatePath(dir), "utf8"));
      expect(state.integration).toBe(name);
      const { nc } = { nc: await import("@vrsky/runtime").then((m) => m.connectNats(state.natsUrl)) };
      const send = (n: number) =>
        sendMessages([{ json: { n }, key: `m-${n}` }], {
          nc,
          integration: name,
          claimCheck: state.claimCheck,
        });

      for (let n = 0; n < 20; n++) await send(n);
      await expect.poll(async () => (await session.stats()).delivered.log ?? 0, { timeout: 15_000 }).toBe(20);
      // Sent straight into the ingress, not through the source: still counted as received.
      await expect.poll(async () => (await session.stats()).received, { timeout: 5000 }).toBe(20);

      // Edit the spec while messages keep arriving.
      const sending = (async () => {
        for (let n = 20; n < 120; n++) await send(n);
      })();
      writeFileSync(file, spec(name, '{ "v": 2, "n": n }'));
      await expect.poll(() => events.some((e) => e.type === "reloaded"), { timeout: 15_000 }).toBe(true);
      await sending;
      await expect
        .poll(async () => (await session.stats()).delivered.log ?? 0, { timeout: 15_000 })
        .toBe(120);
      const v2 = events.filter(
        (e) => e.type === "message" && e.stage === "out.log" && e.preview.includes('"v":2'),
      );
      expect(v2.length).toBeGreaterThan(0);
      expect((await session.stats()).dlqSize).toBe(0);
      await nc.close();
    } finally {
      await session.stop();
    }
    expect(() => readFileSync(devStatePath(dir))).toThrow();
  });

  it("keeps the old version running when an edit does not validate, and says why", async () => {
    const name = `devbad-${crypto.randomUUID().slice(0, 6)}`;
    const sub = mkdtempSync(join(dir, "bad-"));
    const file = join(sub, "integration.yaml");
    writeFileSync(file, spec(name, '{ "ok": true }'));
    const events: DevEvent[] = [];
    const session = await DevSession.start({
      target: resolveDevTarget(file, sub),
      cwd: sub,
      logger: pino({ level: "silent" }),
      env: { VRSKY_NATS_URL: "nats://127.0.0.1:4222" },
      onEvent: (e) => events.push(e),
    });
    try {
      writeFileSync(file, spec(name, '{ "broken": ').replace("json-transform", "json-transfrom"));
      await expect
        .poll(() => events.find((e) => e.type === "reload-failed"), { timeout: 15_000 })
        .toBeTruthy();
      const failed = events.find((e) => e.type === "reload-failed");
      expect(failed?.type === "reload-failed" && failed.message).toMatch(/json-transfrom/);
      expect((await session.runner.status()).state).toBe("running");
    } finally {
      await session.stop();
      const nc = await (await import("@vrsky/runtime")).connectNats("nats://127.0.0.1:4222");
      await deleteTopology(await jetstreamManager(nc), name);
      await nc.close();
    }
  });

  it("parses NDJSON input line by line and names the bad line", () => {
    const good = parseSendInput(new TextEncoder().encode('{"a":1}\n{"a":2}\n'), "in.ndjson");
    expect(good).toEqual([{ json: { a: 1 } }, { json: { a: 2 } }]);
    expect(() => parseSendInput(new TextEncoder().encode('{"a":1}\n{oops\n'), "in.ndjson")).toThrow(/line 2/);
    expect(parseSendInput(new TextEncoder().encode("a,b\n1,2\n"), "rows.csv")[0]).toMatchObject({
      contentType: "text/csv",
    });
  });
});
