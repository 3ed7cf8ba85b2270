import type pg from "pg";
import type { Logger } from "pino";

/** Pino's numeric levels by name. */
const LEVELS: Record<number, string> = {
  10: "trace",
  20: "debug",
  30: "info",
  40: "warn",
  50: "error",
  60: "fatal",
};
/** Fields every line carries that say nothing about the event itself. */
const ENVELOPE_FIELDS = new Set([
  "level",
  "time",
  "msg",
  "pid",
  "hostname",
  "tenant",
  "integration",
  "worker",
]);

interface Line {
  name: string;
  at: string;
  level: string;
  message: string;
  fields: Record<string, unknown>;
}

/**
 * Ships worker log lines to `integration_logs`, in batches, keeping the newest `keep` lines of
 * each integration. Lines come as pino JSON; those naming an integration are stored under its
 * control-plane name (the tenant namespace prefix removed), others only go to the
 * orchestrator's own log. The runtime never logs payloads or secret values.
 */
export class LogShipper {
  readonly #db: pg.Pool;
  readonly #logger: Logger;
  readonly #keep: number;
  readonly #pending = new Map<string, { namespace: string; lines: Line[] }>();
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();

  /**
   * @param db - the control plane's pool
   * @param logger - where lines without an integration go
   * @param keep - lines kept per integration @default 1000
   */
  constructor(db: pg.Pool, logger: Logger, keep = 1000) {
    this.#db = db;
    this.#logger = logger;
    this.#keep = keep;
  }

  /** Takes one line a tenant's worker wrote. */
  add(tenantId: string, namespace: string, raw: string): void {
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      this.#logger.info({ tenantId, line: raw.slice(0, 500) }, "worker output");
      return;
    }
    const integration = typeof parsed.integration === "string" ? parsed.integration : undefined;
    const level = LEVELS[Number(parsed.level)] ?? "info";
    const message = typeof parsed.msg === "string" ? parsed.msg : "";
    if (integration === undefined || !integration.startsWith(namespace)) {
      this.#logger.info({ tenantId, level, message }, "worker log");
      return;
    }
    const fields = Object.fromEntries(Object.entries(parsed).filter(([k]) => !ENVELOPE_FIELDS.has(k)));
    const at = new Date(typeof parsed.time === "number" ? parsed.time : Date.now()).toISOString();
    const batch = this.#pending.get(tenantId) ?? { namespace, lines: [] };
    batch.lines.push({ name: integration.slice(namespace.length), at, level, message, fields });
    this.#pending.set(tenantId, batch);
    this.#timer ??= setTimeout(() => void this.flush(), 250);
  }

  /** Writes what is buffered. */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const batches = [...this.#pending];
    this.#pending.clear();
    this.#flushing = this.#flushing.then(async () => {
      for (const [tenantId, { lines }] of batches) {
        try {
          await this.#db.query(
            `with inserted as (
               insert into integration_logs (integration_id, at, level, message, fields)
               select i.id, x.at, x.level, x.message, x.fields
                 from jsonb_to_recordset($2::jsonb) as x(name text, at timestamptz, level text, message text, fields jsonb)
                 join integrations i on i.tenant_id = $1 and i.name = x.name
               returning integration_id)
             delete from integration_logs l using (select distinct integration_id from inserted) t
              where l.integration_id = t.integration_id
                and l.id <= (select id from integration_logs where integration_id = t.integration_id
                              order by id desc offset $3 limit 1)`,
            [tenantId, JSON.stringify(lines), this.#keep],
          );
        } catch (error) {
          this.#logger.error({ tenantId, error: (error as Error).message }, "cannot store worker logs");
        }
      }
    });
    return this.#flushing;
  }
}
