import type { JetStreamClient, JsMsg } from "@nats-io/jetstream";
import {
  type ConnectorContext,
  type ConverterConnector,
  childTraceparent,
  type Envelope,
  FatalError,
  type FilterConnector,
  Message,
  type MessageInit,
  toBodySource,
} from "@vrsky/sdk";
import type { Logger } from "pino";
import { type ClaimCheck, PROCESS_HOLDER } from "./claim-check.js";
import type { DeadLetterWriter } from "./dead-letter-writer.js";
import { decodeEnvelope, encodeEnvelope } from "./envelope-codec.js";
import { decideFailure, publishFailure, type RetrySchedule } from "./failure-policy.js";
import type { RuntimeMetrics } from "./runtime-metrics.js";
import type { SinkStage } from "./sink-stage.js";
import type { StatusTracker } from "./status-tracker.js";
import type { Topology } from "./topology.js";
import type { WriteCoalescer } from "./write-coalescer.js";

/** A converter or filter step ready to run. */
export interface ProcessStep {
  name: string;
  connector: ConverterConnector | FilterConnector;
  ctx: ConnectorContext<unknown, unknown>;
}

/** Options of {@link createProcessHandler}. */
export interface ProcessStageOptions {
  integration: string;
  js: JetStreamClient;
  topology: Topology;
  steps: readonly ProcessStep[];
  /** Every sink name. */
  sinks: readonly string[];
  /** Route name → sinks; `undefined` sends every message to every sink. */
  routes: Readonly<Record<string, readonly string[]>> | undefined;
  retry: RetrySchedule;
  claimCheck: ClaimCheck;
  deadLetters: DeadLetterWriter;
  tracker: StatusTracker;
  metrics: RuntimeMetrics;
  logger: Logger;
  writes: WriteCoalescer;
  /**
   * The integration's only sink, when this worker also runs it and its producer takes single
   * messages: a message that ends up as one inline message for it is delivered at once instead
   * of being queued (see {@link canHandOff}).
   */
  handOff?: SinkStage;
}

interface Routed {
  message: Message;
  /** Routes chosen by filters so far; `undefined` while no filter routed. */
  routes: string[] | undefined;
}

/**
 * The process stage: runs the converters and filters of an integration in-process on each
 * message from the ingress stream, then publishes one copy per matched sink. The ingress
 * message is acknowledged only after every copy is stored, and copies carry deterministic ids
 * (`Nats-Msg-Id` = `<sink>/<id>`), so a redelivery after a crash re-publishes nothing twice.
 *
 * With a single sink the queue between the two stages buys nothing for a message that stays
 * one inline message: no other sink can be held up, and redelivering the ingress message repeats
 * the (deterministic) steps and the delivery just as a redelivery from the queue would repeat
 * the delivery. Such a message is handed to the sink stage directly, which halves the JetStream
 * work per message; everything else — fan-out outputs, claim-check bodies, batching producers,
 * DLQ replays — still goes through the sink's queue.
 */
export function createProcessHandler(o: ProcessStageOptions): (msg: JsMsg) => Promise<void> {
  const labels = { integration: o.integration, step: "process" };
  return async (jsMsg) => {
    const started = performance.now();
    let envelope: Envelope | undefined;
    let failedStep = "process";
    const attempt = jsMsg.info.deliveryCount;
    let handOff: Message | undefined;
    try {
      envelope = { ...decodeEnvelope(jsMsg.data).envelope, attempt };
      const input = new Message(envelope, o.claimCheck.reader);
      let items: Routed[] = [{ message: input, routes: undefined }];
      for (const step of o.steps) {
        failedStep = step.name;
        items = await runStep(step, items, o);
      }
      failedStep = "routing";
      const deliveries = items.map((item) => ({ item, sinks: sinksFor(item, o) }));
      if (canHandOff(envelope, deliveries, o)) {
        handOff = deliveries[0]?.item.message;
      } else {
        failedStep = "publish";
        await queueForSinks(envelope, deliveries, jsMsg, o);
      }
    } catch (err) {
      o.metrics.failed.inc({ integration: o.integration, step: failedStep });
      const decision = decideFailure(err, attempt, o.retry);
      const id = envelope?.id ?? `seq-${jsMsg.seq}`;
      if (decision.action === "dead-letter") {
        const written = await o.deadLetters.write({
          envelope,
          raw: jsMsg.data,
          stage: "process",
          step: failedStep,
          attempts: attempt,
          error: decision.reason,
          code: decision.code,
          replaySubject: o.topology.inSubject,
        });
        if (written) {
          jsMsg.ack();
          o.metrics.deadLettered.inc({ integration: o.integration, step: failedStep });
          o.tracker.record(id, { stage: "process", state: "dead-lettered", attempt, error: decision.reason });
          o.logger.warn({ msgId: id, step: failedStep, attempt, reason: decision.reason }, "dead-lettered");
        } else {
          jsMsg.nak(1000);
        }
      } else {
        jsMsg.nak(decision.delayMs);
        if (decision.action === "retry") {
          o.metrics.retried.inc({ integration: o.integration, step: failedStep });
          o.tracker.record(id, { stage: "process", state: "retrying", attempt, error: describe(err) });
        }
        o.logger.info(
          { msgId: id, step: failedStep, attempt, delayMs: decision.delayMs, error: describe(err) },
          "retrying",
        );
      }
    } finally {
      o.metrics.stepSeconds.observe(labels, (performance.now() - started) / 1000);
    }
    // The sink stage settles the ingress message from here on, and never throws.
    if (handOff) await o.handOff?.deliverDirect(handOff, jsMsg);
  };
}

/** Publishes one copy per matched sink, then acknowledges the ingress message. */
async function queueForSinks(
  envelope: Envelope,
  deliveries: readonly { item: Routed; sinks: readonly string[] }[],
  jsMsg: JsMsg,
  o: ProcessStageOptions,
): Promise<void> {
  const attempt = envelope.attempt;
  await Promise.all(deliveries.map(({ item, sinks }) => publishToSinks(item.message, sinks, o)));
  if (envelope.body.type === "ref") await o.claimCheck.release(envelope.body.ref, PROCESS_HOLDER);
  o.writes.defer(() => jsMsg.ack());
  const routedTo = [...new Set(deliveries.flatMap((d) => d.sinks))];
  if (routedTo.length === 0) {
    o.metrics.dropped.inc({ integration: o.integration, step: "process" });
    o.tracker.record(envelope.id, { stage: "process", state: "dropped", attempt });
  } else {
    o.tracker.record(envelope.id, { stage: "process", state: "processed", attempt, sinks: routedTo });
  }
}

/** Whether the message can skip the sink's queue: one inline message for the only sink. */
function canHandOff(
  input: Envelope,
  deliveries: readonly { item: Routed; sinks: readonly string[] }[],
  o: ProcessStageOptions,
): boolean {
  const [only] = deliveries;
  return (
    o.handOff !== undefined &&
    deliveries.length === 1 &&
    only?.sinks.length === 1 &&
    input.body.type === "inline" &&
    only.item.message.body.type === "inline"
  );
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function runStep(step: ProcessStep, items: Routed[], o: ProcessStageOptions): Promise<Routed[]> {
  const out: Routed[] = [];
  for (const item of items) {
    if (step.connector.kind === "filter") {
      const decision = await step.connector.filter(item.message, step.ctx);
      if (decision === false) continue;
      if (decision === true) {
        out.push(item);
        continue;
      }
      const routes = typeof decision === "string" ? [decision] : [...decision];
      if (routes.length === 0) continue;
      out.push({ message: item.message, routes });
      continue;
    }
    const result = await step.connector.convert(item.message, step.ctx);
    const outputs = result == null ? [] : Array.isArray(result) ? result : [result as Message | MessageInit];
    for (let i = 0; i < outputs.length; i++) {
      const output = outputs[i] as Message | MessageInit;
      const id = outputs.length === 1 ? item.message.id : `${item.message.id}:${i}`;
      out.push({ message: await toMessage(output, item.message, id, o), routes: item.routes });
    }
  }
  return out;
}

/** Turns a converter's output into a message that inherits the input's metadata. */
async function toMessage(output: Message | MessageInit, input: Message, id: string, o: ProcessStageOptions) {
  if (output instanceof Message) {
    return output.id === id ? output : new Message({ ...output.toEnvelope(), id }, o.claimCheck.reader);
  }
  const source = toBodySource(output);
  const body = await o.claimCheck.storeBody(source, () => `${o.integration}/${id}/${crypto.randomUUID()}`);
  const parent = input.meta;
  const envelope: Envelope = {
    ...parent,
    id,
    headers: { ...parent.headers, ...output.headers },
    contentType: source.contentType,
    ...(parent.traceparent ? { traceparent: childTraceparent(parent.traceparent) } : {}),
    body,
  };
  return new Message(envelope, o.claimCheck.reader);
}

function sinksFor(item: Routed, o: ProcessStageOptions): string[] {
  if (!o.routes) return [...o.sinks];
  if (!item.routes) return [...(o.routes.default ?? [])];
  const sinks = new Set<string>();
  for (const route of item.routes) {
    const targets = o.routes[route];
    if (!targets) {
      throw new FatalError(
        `a filter chose route "${route}", which the integration does not define; add it under \`routes\` (known: ${Object.keys(o.routes).join(", ")})`,
      );
    }
    for (const sink of targets) sinks.add(sink);
  }
  return [...sinks];
}

async function publishToSinks(
  message: Message,
  sinks: readonly string[],
  o: ProcessStageOptions,
): Promise<void> {
  const envelope = { ...message.toEnvelope(), attempt: 1 };
  if (envelope.body.type === "ref" && sinks.length > 0) await o.claimCheck.retain(envelope.body.ref, sinks);
  const data = encodeEnvelope(envelope);
  await Promise.all(
    sinks.map(async (sink) => {
      const subject = o.topology.outSubject(sink);
      try {
        await o.writes.deferAsync(() => o.js.publish(subject, data, { msgID: `${sink}/${envelope.id}` }));
      } catch (err) {
        throw publishFailure(err, subject);
      }
    }),
  );
}
