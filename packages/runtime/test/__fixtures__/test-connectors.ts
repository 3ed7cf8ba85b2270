import { appendFileSync } from "node:fs";
import {
  defineConsumer,
  defineConverter,
  defineFilter,
  defineProducer,
  FatalError,
  type MessageInit,
  RetryableError,
  z,
} from "@vrsky/sdk";

/**
 * Connectors for runtime tests. Tests reach them through named channels (a config value), so
 * specs stay plain data while tests push messages in and read deliveries out.
 */
export interface Channel {
  /** Messages waiting to be emitted by `push-source`. */
  inbox: { init: MessageInit; settle: (r: { id: string; duplicate: boolean } | Error) => void }[];
  wake?: () => void;
  /** Deliveries per sink: message id → how many times it was delivered. */
  delivered: Map<string, Map<string, number>>;
  /** Bodies seen per sink (for content checks). */
  bodies: Map<string, string[]>;
  /** Calls per sink (including failed ones). */
  calls: Map<string, number>;
}

const channels = new Map<string, Channel>();

/** The channel called `name`, created on first use. */
export function channel(name: string): Channel {
  let c = channels.get(name);
  if (!c) {
    c = { inbox: [], delivered: new Map(), bodies: new Map(), calls: new Map() };
    channels.set(name, c);
  }
  return c;
}

/** Pushes one message into a `push-source` and resolves with what `emit` resolved. */
export function push(name: string, init: MessageInit): Promise<{ id: string; duplicate: boolean }> {
  const c = channel(name);
  return new Promise((resolve, reject) => {
    c.inbox.push({ init, settle: (r) => (r instanceof Error ? reject(r) : resolve(r)) });
    c.wake?.();
  });
}

/** Ids delivered to `sink` (each once, however often it was delivered). */
export function deliveredIds(name: string, sink: string): Set<string> {
  return new Set(channel(name).delivered.get(sink)?.keys() ?? []);
}

/** A consumer that emits what tests push; runs on every worker (not a singleton). */
export const pushSource = defineConsumer({
  name: "push-source",
  version: "1.0.0",
  description: "Emits the messages a test pushes into its channel.",
  config: z.object({ channel: z.string() }),
  singleton: false,
  async start(ctx, emit) {
    const c = channel(ctx.config.channel);
    while (!ctx.signal.aborted) {
      const next = c.inbox.shift();
      if (!next) {
        await new Promise<void>((resolve) => {
          const done = () => {
            ctx.signal.removeEventListener("abort", done);
            resolve();
          };
          c.wake = done;
          if (ctx.signal.aborted) done();
          else ctx.signal.addEventListener("abort", done, { once: true });
        });
        continue;
      }
      try {
        next.settle(await emit(next.init));
      } catch (err) {
        next.settle(err as Error);
      }
    }
  },
});

/** A singleton consumer that counts to `count`, checkpointing each number. */
export const countingSource = defineConsumer({
  name: "counting-source",
  version: "1.0.0",
  description: "Emits {n} for n = 1..count, resuming from its checkpoint.",
  config: z.object({ count: z.number().int().positive(), channel: z.string() }),
  checkpoint: z.number().int(),
  async start(ctx, emit) {
    const from = (await ctx.checkpoint.load()) ?? 0;
    for (let n = from + 1; n <= ctx.config.count && !ctx.signal.aborted; n++) {
      await emit({ json: { n }, key: `n-${n}` }, { checkpoint: n });
    }
    await untilAborted(ctx.signal);
  },
});

/** Upper-cases the `text` field; a body that is not JSON is a fatal error. */
export const upperConverter = defineConverter({
  name: "upper",
  version: "1.0.0",
  description: "Upper-cases `text`.",
  config: z.object({}),
  async convert(msg) {
    const body = await msg.json(z.object({ text: z.string() }).passthrough());
    return { json: { ...body, text: body.text.toUpperCase() } };
  },
});

/** Splits `{items: [...]}` into one message per item. */
export const splitConverter = defineConverter({
  name: "split",
  version: "1.0.0",
  description: "One message per item.",
  config: z.object({}),
  async convert(msg) {
    const { items } = await msg.json(z.object({ items: z.array(z.unknown()) }));
    return items.map((item) => ({ json: item }));
  },
});

/** Routes by the `route` field: a name, "drop", or absent (→ default). */
export const fieldRouter = defineFilter({
  name: "field-router",
  version: "1.0.0",
  description: "Routes by the `route` field.",
  config: z.object({}),
  async filter(msg) {
    const { route } = await msg.json(
      z.object({ route: z.union([z.string(), z.array(z.string())]).optional() }).passthrough(),
    );
    if (route === "drop") return false;
    return route ?? true;
  },
});

/** How a {@link recordingSink} fails. */
const FailureMode = z.object({
  /** Fail this fraction of calls (deterministic by message id). */
  failRatio: z.number().min(0).max(1).default(0),
  /** Always fail with a retryable error. */
  alwaysFail: z.boolean().default(false),
  /** Fail with a fatal error when the body contains this text. */
  fatalIf: z.string().optional(),
  /** Take this long per delivery. */
  delayMs: z.number().int().nonnegative().default(0),
});

/** Records deliveries in its channel; fails on demand. */
export const recordingSink = defineProducer({
  name: "recording-sink",
  version: "1.0.0",
  description: "Records deliveries for assertions.",
  config: z.object({ channel: z.string(), sink: z.string() }).merge(FailureMode),
  async deliver(msg, ctx) {
    const { channel: name, sink, failRatio, alwaysFail, fatalIf, delayMs } = ctx.config;
    const c = channel(name);
    c.calls.set(sink, (c.calls.get(sink) ?? 0) + 1);
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    const text = new TextDecoder().decode(await msg.bytes());
    if (fatalIf && text.includes(fatalIf)) throw new FatalError(`rejected: body contains "${fatalIf}"`);
    if (alwaysFail) throw new RetryableError("target unavailable");
    // Fail on the first attempt of messages whose id hashes into the ratio: retried ones pass.
    if (failRatio > 0 && ctx.attempt === 1 && hash(msg.id) < failRatio)
      throw new RetryableError("flaky target");
    const counts = c.delivered.get(sink) ?? new Map<string, number>();
    counts.set(msg.id, (counts.get(msg.id) ?? 0) + 1);
    c.delivered.set(sink, counts);
    const bodies = c.bodies.get(sink) ?? [];
    bodies.push(text.length > 200 ? `${text.slice(0, 16)}…(${text.length})` : text);
    c.bodies.set(sink, bodies);
  },
});

function hash(id: string): number {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  return (h >>> 0) / 2 ** 32;
}

function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
}

/** Appends each delivered id to a file, so another process can count deliveries. */
export const fileAppendSink = defineProducer({
  name: "file-append-sink",
  version: "1.0.0",
  description: "Appends message ids to a file.",
  config: z.object({ path: z.string(), delayMs: z.number().int().nonnegative().default(0) }),
  async deliver(msg, ctx) {
    if (ctx.config.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, ctx.config.delayMs));
    appendFileSync(ctx.config.path, `${msg.id}\n`);
  },
});
