import { bearer } from "@vrsky/platform-api/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliPlatform, startCliPlatform, type TenantCli } from "../../../test/platform-cli.js";
import { parseJson } from "../../../test/run-cli.js";
import type { Failure } from "../../failure.js";
import type { IntegrationsDeleteResult } from "./delete.js";
import type { IntegrationsListResult } from "./list.js";
import type { IntegrationsLogsResult } from "./logs.js";
import type { IntegrationsRollbackResult } from "./rollback.js";
import type { IntegrationsStatusResult } from "./status.js";

const spec = (fileName: string): string => `name: orders
source:
  connector: http-webhook
  config: { port: 18787, path: /orders, auth: { type: none } }
sinks:
  archive:
    connector: file-out
    config: { directory: /tmp/vrsky-orders, fileName: ${fileName} }
`;

describe("vrsky integrations", () => {
  let env: CliPlatform;
  let a: TenantCli;
  let b: TenantCli;
  let id = "";
  /** Calls the API as tenant A. */
  const api = async (method: "GET" | "PUT", url: string, payload?: object) => {
    const response = await env.platform.api.inject({ method, url, headers: bearer(a.key), payload });
    return { status: response.statusCode, body: response.json() as Record<string, unknown> };
  };
  const insertLog = async (level: string, message: string, fields: object = {}): Promise<void> => {
    await env.db.query(
      "insert into integration_logs (integration_id, at, level, message, fields) values ($1, $2, $3, $4, $5)",
      [id, new Date("2025-03-01T10:00:00.250Z"), level, message, JSON.stringify(fields)],
    );
  };

  beforeAll(async () => {
    env = await startCliPlatform();
    a = await env.tenant("a");
    b = await env.tenant("b");
    for (const fileName of ["v1.json", "v2.json"]) {
      const put = await api("PUT", "/v1/integrations/orders", { spec: spec(fileName) });
      expect(put.status, JSON.stringify(put.body)).toBeLessThan(300);
    }
    id = await env.integrationId(a.tenantId, "orders");
  });
  afterAll(() => env?.stop());

  it("lists the tenant's integrations with desired state, current and running version", async () => {
    const human = await a.run(["integrations", "list"]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(
      /NAME\s+DESIRED\s+STATE\s+VERSION\s+RUNNING\s+UPDATED\norders\s+running\s+-\s+v2\s+-\s+\d{4}-/,
    );
    const json = parseJson<IntegrationsListResult>(await a.run(["integrations", "list", "--json"]));
    expect(json).toMatchObject({
      url: env.url,
      integrations: [{ name: "orders", desiredState: "running", currentVersion: 2, status: null }],
    });
  });

  it("shows an integration's state, worker, counters, error and versions", async () => {
    await env.db.query(
      `insert into integration_status (integration_id, state, version, worker, error, counters)
       values ($1, 'restarting', 2, 'worker-7', 'sink archive: EACCES', '{"received": 10, "delivered": 9}')`,
      [id],
    );
    const human = await a.run(["integrations", "status", "orders"]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain("orders v2  desired: running");
    expect(human.stdout).toMatch(/state\s+restarting v2 on worker worker-7, reported \d{4}-/);
    expect(human.stdout).toMatch(/error\s+sink archive: EACCES/);
    expect(human.stdout).toMatch(/counters\s+received=10 {2}delivered=9/);
    expect(human.stdout).toMatch(
      /Versions\n\s+VERSION\s+DEPLOYED\n\s+v2 \(current\)\s+\d{4}-.*\n\s+v1\s+\d{4}-/,
    );
    const { integration } = parseJson<IntegrationsStatusResult>(
      await a.run(["integrations", "status", "orders", "--json"]),
    );
    expect(integration.status).toMatchObject({ state: "restarting", version: 2, counters: { received: 10 } });
    expect(integration.versions.map((v) => v.version)).toEqual([2, 1]);
  });

  it("stops and starts an integration by its desired state", async () => {
    const stop = await a.run(["integrations", "stop", "orders"]);
    expect(stop.code, stop.stderr).toBe(0);
    expect(stop.stdout).toContain("✓ orders desired state stopped");
    expect((await api("GET", "/v1/integrations/orders")).body.desiredState).toBe("stopped");
    const start = parseJson<IntegrationsStatusResult>(
      await a.run(["integrations", "start", "orders", "--json"]),
    );
    expect(start.integration.desiredState).toBe("running");
    expect((await api("GET", "/v1/integrations/orders")).body.desiredState).toBe("running");
  });

  it("rolls back to the previous version by default, and to any version with --to, as new versions", async () => {
    const back = await a.run(["integrations", "rollback", "orders", "--json"]);
    expect(back.code, back.stderr).toBe(0);
    expect(parseJson<IntegrationsRollbackResult>(back)).toEqual({
      name: "orders",
      from: 2,
      to: 1,
      version: 3,
      url: env.url,
    });
    expect((await api("GET", "/v1/integrations/orders/versions/3")).body.spec).toBe(spec("v1.json"));
    const to = await a.run(["integrations", "rollback", "orders", "--to", "v2"]);
    expect(to.stdout).toContain("✓ orders v4 deployed with the spec of v2");
    expect((await api("GET", "/v1/integrations/orders/versions/4")).body.spec).toBe(spec("v2.json"));
    const current = await a.run(["integrations", "rollback", "orders", "--to", "4"]);
    expect(current.code).toBe(2);
    expect(current.stderr).toContain("Error [INVALID_INPUT] v4 is already the current version of orders");
  });

  it("prints the newest log lines oldest first, with level and fields, and --limit keeps the last ones", async () => {
    await insertLog("info", "worker started", { version: 4 });
    await insertLog("warn", "slow sink", { sink: "archive" });
    await insertLog("error", "delivery failed", { error: "disk full" });
    const human = await a.run(["integrations", "logs", "orders"]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toBe(
      [
        "2025-03-01 10:00:00.250 INFO  worker started  version=4",
        "2025-03-01 10:00:00.250 WARN  slow sink  sink=archive",
        '2025-03-01 10:00:00.250 ERROR delivery failed  error="disk full"',
        "",
      ].join("\n"),
    );
    const json = parseJson<IntegrationsLogsResult>(
      await a.run(["integrations", "logs", "orders", "--limit", "2", "--json"]),
    );
    expect(json.lines.map((l) => l.message)).toEqual(["slow sink", "delivery failed"]);
  });

  it("with --follow prints lines logged after it started, until interrupted", async () => {
    const follow = a.start(["integrations", "logs", "orders", "--follow", "-n", "1"]);
    try {
      await expect.poll(follow.stdout, { timeout: 10_000 }).toContain("delivery failed");
      await insertLog("info", "order 7 archived", { orderId: 7 });
      await expect.poll(follow.stdout, { timeout: 10_000 }).toContain("order 7 archived  orderId=7");
    } finally {
      follow.kill("SIGINT");
    }
    const run = await follow.exited;
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).not.toContain("slow sink");
  });

  it("keeps one tenant's integration invisible to another, with the same message as a missing one", async () => {
    const missing = "Error [NOT_FOUND] no integration orders; `vrsky integrations list` shows yours";
    for (const args of [["status"], ["logs"], ["delete", "--yes"]]) {
      const [verb, ...rest] = args;
      const run = await b.run(["integrations", verb as string, "orders", ...rest]);
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr).toContain(missing);
    }
    expect(
      parseJson<IntegrationsListResult>(await b.run(["integrations", "list", "--json"])).integrations,
    ).toEqual([]);
    expect((await api("GET", "/v1/integrations/orders")).body.desiredState).toBe("running");
    const json = parseJson<{ error: Failure }>(await a.run(["integrations", "status", "nope", "--json"]));
    expect(json.error).toMatchObject({ code: "NOT_FOUND", exitCode: 2 });
  });

  it("refuses a name the platform could not have before calling it", async () => {
    const run = await a.run(["integrations", "status", "Orders_1"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Error [INVALID_INPUT] invalid integration name "Orders_1"');
  });

  it("deletes an integration with its versions, without a prompt when there is no terminal", async () => {
    const run = await a.run(["integrations", "delete", "orders", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    expect(parseJson<IntegrationsDeleteResult>(run)).toEqual({ name: "orders", versions: 4, url: env.url });
    expect((await api("GET", "/v1/integrations/orders")).status).toBe(404);
    const list = await a.run(["integrations", "list"]);
    expect(list.stdout).toContain("No integrations in");
  });
});
