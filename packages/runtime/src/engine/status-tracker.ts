import type { KV } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/transport-node";

/** Where a message is, as recorded by one worker. */
export type MessageState = "accepted" | "processed" | "dropped" | "delivered" | "retrying" | "dead-lettered";

/** One status record of a message at one stage. */
export interface StageStatus {
  /** `source`, `process`, or `sink:<name>`. */
  stage: string;
  state: MessageState;
  /** When this state was reached (ISO-8601). */
  at: string;
  /** Attempt number at that stage. */
  attempt?: number;
  /** For `retrying` and `dead-lettered`: why (never the payload). */
  error?: string;
  /** For `processed`: the sinks the message was routed to. */
  sinks?: string[];
  /** The worker that recorded it. */
  worker: string;
}

const RECENT_MS = 5000;

type PendingStatus = Omit<StageStatus, "at" | "worker"> & { at: number };

/** Totals across every worker of an integration. */
export interface IntegrationCounters {
  accepted: number;
  processed: number;
  dropped: number;
  delivered: number;
  retried: number;
  deadLettered: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const encodeId = (id: string) => Buffer.from(id, "utf8").toString("base64url");

/** Options of {@link StatusTracker}. */
export interface StatusTrackerOptions {
  /** Connection used for the fire-and-forget status writes. */
  nc: NatsConnection;
  /** Name of the status bucket; its TTL bounds how long "where is X" can be answered. */
  statusBucket: string;
  /** Bucket for counters (the integration's state bucket). */
  stateKv: KV;
  worker: string;
  /** How often buffered records are written. @default 50 */
  flushIntervalMs?: number;
  /**
   * Most messages remembered per generation (two are kept); a burst beyond it can drop status
   * records not yet written (never messages). @default 20_000
   */
  maxBuffered?: number;
  /** Whether per-message status is recorded at all (counters always are). @default true */
  perMessage?: boolean;
}

/**
 * Records where each message is — without a synchronous KV write on the hot path. A worker
 * keeps the stages it saw of recent messages in memory and, every flush interval, writes one
 * record per changed message (`msg.<id>.<worker>`) as a plain publish to the KV bucket's
 * subject: the server stores it as a KV entry and no worker waits for a round trip. A message
 * that crosses source, process and sinks on one worker within an interval costs one write;
 * workers never overwrite each other's records.
 */
export class StatusTracker {
  readonly #o: Required<StatusTrackerOptions>;
  /**
   * Recent messages' stages in two generations: records go to `#current`; when it is full or
   * older than {@link RECENT_MS} it becomes `#previous` and the old previous is dropped whole.
   * (Evicting the oldest entry of one Map per new message costs more and more as the deleted
   * slots pile up at its front.)
   */
  #current = new Map<string, PendingStatus[]>();
  #previous = new Map<string, PendingStatus[]>();
  #rotatedAt = Date.now();
  readonly #dirty = new Set<string>();
  readonly #counters: IntegrationCounters = {
    accepted: 0,
    processed: 0,
    dropped: 0,
    delivered: 0,
    retried: 0,
    deadLettered: 0,
  };
  #countersDirty = false;
  #droppedRecords = 0;
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> | undefined;

  constructor(options: StatusTrackerOptions) {
    this.#o = { flushIntervalMs: 50, maxBuffered: 20_000, perMessage: true, ...options };
  }

  /** Starts the background flush. */
  start(): void {
    this.#timer ??= setInterval(() => void this.flush().catch(() => undefined), this.#o.flushIntervalMs);
    this.#timer.unref();
  }

  /**
   * Records a state change of a message. Never blocks, never throws.
   * @param id - the message id
   * @param status - a fresh object: the tracker keeps it (and stamps its time) rather than copy it
   */
  record(id: string, status: Omit<StageStatus, "at" | "worker">): void {
    const counter = COUNTER_OF[status.state];
    this.#counters[counter] += 1;
    this.#countersDirty = true;
    if (!this.#o.perMessage) return;
    // A timestamp number (this runs for every message); readers format it.
    const full = status as PendingStatus;
    full.at = Date.now();
    let stages = this.#current.get(id);
    if (!stages) {
      stages = this.#previous.get(id);
      if (!stages) {
        if (this.#current.size >= this.#o.maxBuffered) this.#rotate();
        stages = [];
      }
      this.#current.set(id, stages);
    }
    const same = stages.findIndex((r) => r.stage === status.stage);
    if (same >= 0) stages[same] = full;
    else stages.push(full);
    this.#dirty.add(id);
  }

  /** Starts a new generation; unwritten records of the dropped one are counted as dropped. */
  #rotate(): void {
    const dropped = this.#previous;
    this.#previous = this.#current;
    this.#current = new Map();
    this.#rotatedAt = Date.now();
    for (const id of this.#dirty) {
      if (dropped.has(id) && !this.#previous.has(id)) {
        this.#dirty.delete(id);
        this.#droppedRecords += 1;
      }
    }
  }

  /** This worker's own counts since it started (the KV totals sum every worker's). */
  get counters(): Readonly<IntegrationCounters> {
    return { ...this.#counters };
  }

  /** Status records dropped because the buffer was full (the messages themselves are unaffected). */
  get droppedRecords(): number {
    return this.#droppedRecords;
  }

  /** Writes everything buffered. */
  async flush(): Promise<void> {
    while (this.#flushing !== undefined) await this.#flushing;
    this.#flushing = this.#write().finally(() => {
      this.#flushing = undefined;
    });
    await this.#flushing;
  }

  /** Flushes and stops the background timer. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.flush().catch(() => undefined);
  }

  async #write(): Promise<void> {
    const prefix = `$KV.${this.#o.statusBucket}.msg.`;
    const { worker } = this.#o;
    const suffix = `.${worker.replace(/[^-\w]/g, "_")}`;
    for (const id of this.#dirty) {
      const stages = this.#current.get(id) ?? this.#previous.get(id);
      if (!stages) continue;
      const record: WireRecord = { worker, stages };
      this.#o.nc.publish(prefix + encodeId(id) + suffix, encoder.encode(JSON.stringify(record)));
    }
    this.#dirty.clear();
    // Stages of one message usually follow within milliseconds; remembering a message longer
    // than a few seconds only costs memory (a later stage then writes its own record).
    if (Date.now() - this.#rotatedAt >= RECENT_MS) this.#rotate();
    if (this.#countersDirty) {
      this.#countersDirty = false;
      await this.#o.stateKv.put(`counters.${this.#o.worker}`, encoder.encode(JSON.stringify(this.#counters)));
    }
  }
}

const COUNTER_OF: Record<MessageState, keyof IntegrationCounters> = {
  accepted: "accepted",
  processed: "processed",
  dropped: "dropped",
  delivered: "delivered",
  retrying: "retried",
  "dead-lettered": "deadLettered",
};

/** What one worker writes for one message: its stages, with epoch-millisecond times. */
interface WireRecord {
  worker: string;
  stages: PendingStatus[];
}

async function readRecords(kv: KV, key: string): Promise<StageStatus[]> {
  const entry = await kv.get(key);
  if (entry?.operation !== "PUT" || entry.length === 0) return [];
  const { worker, stages } = JSON.parse(decoder.decode(entry.value)) as WireRecord;
  return stages.map((s) => ({ ...s, at: new Date(s.at).toISOString(), worker }));
}

/**
 * Answers "where is message X": the latest status of every stage it reached, oldest first.
 * @param statusKv - the integration's status bucket
 * @param id - the message id
 */
export async function messageStatus(statusKv: KV, id: string): Promise<StageStatus[]> {
  const keys = await statusKv.keys(`msg.${encodeId(id)}.>`);
  const latest = new Map<string, StageStatus>();
  for await (const key of keys) {
    for (const record of await readRecords(statusKv, key)) {
      const seen = latest.get(record.stage);
      if (!seen || seen.at <= record.at) latest.set(record.stage, record);
    }
  }
  return [...latest.values()].sort((a, b) => a.at.localeCompare(b.at));
}

/**
 * Sums the counters every worker of an integration has written.
 * @param stateKv - the integration's state bucket
 */
export async function integrationCounters(stateKv: KV): Promise<IntegrationCounters> {
  const total: IntegrationCounters = {
    accepted: 0,
    processed: 0,
    dropped: 0,
    delivered: 0,
    retried: 0,
    deadLettered: 0,
  };
  const keys = await stateKv.keys("counters.>");
  for await (const key of keys) {
    const entry = await stateKv.get(key);
    if (entry?.operation !== "PUT" || entry.length === 0) continue;
    const worker = JSON.parse(decoder.decode(entry.value)) as Partial<IntegrationCounters>;
    for (const k of Object.keys(total) as (keyof IntegrationCounters)[]) total[k] += worker[k] ?? 0;
  }
  return total;
}
