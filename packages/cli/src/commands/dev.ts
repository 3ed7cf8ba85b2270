import { readFileSync } from "node:fs";
import { Args, Flags } from "@oclif/core";
import { render } from "ink";
import isInCi from "is-in-ci";
import { destination, pino } from "pino";
import { createElement } from "react";
import { VrskyCommand } from "../base-command.js";
import { type DevEvent, DevSession, type DevStats } from "../dev/dev-session.js";
import { resolveDevTarget } from "../dev/dev-target.js";
import { parseSendInput, sendMessages } from "../dev/send-messages.js";
import { DevView } from "../views/dev-view.js";

/** What `vrsky dev --json` prints when it stops. */
export type DevResult = DevStats & { reloads: number };

/** `vrsky dev`: runs an integration or a connector locally on the real runtime. */
export default class Dev extends VrskyCommand<DevResult> {
  static override summary =
    "Run an integration, or one connector, locally on the real runtime with hot reload.";

  static override description =
    `Starts the services the integration needs — from explicit URLs (VRSKY_NATS_URL), Docker (Testcontainers), or local binaries (nats-server), in that order — and says which it chose; runs the integration on NATS JetStream exactly as a worker would; watches the spec and connector sources and hot-reloads on save (in-flight messages are drained, never lost). A live view shows each step with counts, rate, errors, the DLQ size and the last messages; --no-tui prints structured logs instead. What it started is stopped on exit.

PATH is an integration spec (integration.yaml, .json, or a .ts using defineIntegration), a connector file, or a directory holding either (integration.yaml, or a connector project with vrsky.json). A single connector runs in a dev integration: a consumer feeds a log sink; a converter, filter or producer is fed by \`vrsky send\`.`;

  static override examples = [
    { description: "Run the integration in this directory", command: "<%= config.bin %> <%= command.id %>" },
    {
      description: "Run a spec with plain logs and send it a file once it is up",
      command: "<%= config.bin %> <%= command.id %> orders.yaml --no-tui --send orders.ndjson",
    },
    {
      description: "Run a demo to completion (CI): send, wait until idle, print counts",
      command:
        "<%= config.bin %> <%= command.id %> examples/quickstart --send examples/quickstart/orders.ndjson --exit-when-idle --json",
    },
  ];

  static override args = {
    path: Args.string({ description: "Spec file, connector file, or directory.", default: "." }),
  };

  static override flags = {
    tui: Flags.boolean({
      description: "Show the live view (off without a terminal).",
      allowNo: true,
      default: true,
    }),
    watch: Flags.boolean({ description: "Hot-reload when sources change.", allowNo: true, default: true }),
    send: Flags.string({ description: "Send this file's messages once running (JSON, NDJSON or raw)." }),
    "exit-when-idle": Flags.boolean({
      description: "Stop once everything sent was delivered or dead-lettered (for demos and CI).",
    }),
    prefer: Flags.string({
      description: "Prefer this origin for services.",
      options: ["url", "docker", "local"],
    }),
    "log-level": Flags.string({
      description: "Log level with --no-tui.",
      default: "info",
      options: ["debug", "info", "warn", "error"],
    }),
  };

  async run(): Promise<DevResult> {
    const { args, flags } = await this.parse(Dev);
    // In CI ink draws only the final frame, so the live view falls back to log lines there.
    const tui = flags.tui && !isInCi && !this.jsonEnabled() && process.stdout.isTTY === true;
    const logger = pino({ level: tui || this.jsonEnabled() ? "silent" : flags["log-level"] }, destination(2));
    const listeners = new Set<(e: DevEvent) => void>();
    let reloads = 0;
    let services = "";
    const onEvent = (e: DevEvent) => {
      if (e.type === "services") services = `${e.origin} ${e.nats}`;
      if (e.type === "reloaded") reloads += 1;
      for (const l of listeners) l(e);
      if (!tui && !this.jsonEnabled()) this.logEvent(e);
    };
    const target = resolveDevTarget(args.path, process.cwd());
    const session = await this.progress("Starting services and the integration", () =>
      DevSession.start({
        target,
        cwd: process.cwd(),
        logger,
        watch: flags.watch,
        onEvent,
        ...(flags.prefer ? { prefer: flags.prefer as "url" | "docker" | "local" } : {}),
      }),
    );
    try {
      let sent = 0;
      if (flags.send) {
        const bytes = readFileSync(flags.send);
        const inits = parseSendInput(bytes, flags.send);
        const { connectNats } = await import("@vrsky/runtime");
        const nc = await connectNats(session.natsUrl, { name: "vrsky-dev-send" });
        try {
          const results = await sendMessages(inits, {
            nc,
            integration: session.runner.integration.name,
            claimCheck: session.runner.integration.settings.claimCheck,
          });
          sent = results.filter((r) => !r.duplicate).length;
        } finally {
          await nc.close();
        }
        if (!tui && !this.jsonEnabled()) this.log(`sent ${sent} message(s) from ${flags.send}`);
      }
      if (flags["exit-when-idle"]) {
        await waitUntilIdle(session);
      } else if (tui) {
        await new Promise<void>((resolve) => {
          const steps = session.runner.integration.steps.map((s) => s.name);
          const sinks = Object.keys(session.runner.integration.sinks);
          const app = render(
            createElement(DevView, {
              stats: () => session.stats(),
              subscribe: (l: (e: DevEvent) => void) => {
                listeners.add(l);
                return () => listeners.delete(l);
              },
              services,
              steps,
              sinks,
              onQuit: () => resolve(),
            }),
            { exitOnCtrlC: false },
          );
          process.once("SIGTERM", () => {
            app.unmount();
            resolve();
          });
        });
      } else {
        await new Promise<void>((resolve) => {
          process.once("SIGINT", () => resolve());
          process.once("SIGTERM", () => resolve());
        });
      }
      const stats = await session.stats();
      this.printSummary(stats);
      return { ...stats, reloads };
    } finally {
      await session.stop();
    }
  }

  private logEvent(e: DevEvent): void {
    const { dim, green, red, bold } = this.err;
    const line =
      e.type === "services"
        ? `${green("✓")} NATS: ${e.nats} ${dim(`(${e.origin})`)}`
        : e.type === "started"
          ? `${green("✓")} running ${bold(e.integration)}: ${[...e.steps, ...e.sinks.map((s) => `→ ${s}`)].join(" ")}`
          : e.type === "reloaded"
            ? `${green("↻")} reloaded ${e.file} in ${e.ms} ms`
            : e.type === "reload-failed"
              ? `${red("✗")} reload failed (still running the last good version): ${e.message}`
              : `${dim(e.stage.padEnd(12))} ${e.id} ${dim(`${e.size} B`)} ${e.preview.replace(/\s+/g, " ").slice(0, 80)}`;
    process.stderr.write(`${line}\n`);
  }

  private printSummary(stats: DevStats): void {
    const delivered = Object.entries(stats.delivered)
      .map(([sink, n]) => `${sink} ${n}`)
      .join(", ");
    this.log(
      `${stats.integration}: received ${stats.received}, delivered ${delivered || "0"}, retried ${stats.retried}, dead-lettered ${stats.deadLettered}`,
    );
  }
}

/** Waits until both transit streams are empty and nothing is in flight, twice in a row. */
async function waitUntilIdle(session: DevSession): Promise<void> {
  let quiet = 0;
  while (quiet < 3) {
    await new Promise((r) => setTimeout(r, 200));
    const status = await session.runner.status();
    const inFlight = Object.values(status.inFlight).reduce((a, b) => a + b, 0);
    quiet = inFlight === 0 && status.backlog.ingress === 0 && status.backlog.sinks === 0 ? quiet + 1 : 0;
  }
}
