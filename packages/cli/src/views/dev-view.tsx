import { Box, Text, useApp, useInput } from "ink";
import { useEffect, useState } from "react";
import type { DevEvent, DevStats } from "../dev/dev-session.js";

/** Props of {@link DevView}. */
export interface DevViewProps {
  /** Reads the current counts (polled). */
  stats(): Promise<DevStats>;
  /** Subscribes to session events; returns the unsubscribe function. */
  subscribe(listener: (event: DevEvent) => void): () => void;
  /** What the services resolver chose, e.g. "local nats-server at nats://127.0.0.1:41234". */
  services: string;
  steps: readonly string[];
  sinks: readonly string[];
  /** Called when the user quits with q or Ctrl+C. */
  onQuit(): void;
}

/**
 * The live view of `vrsky dev`: each step and sink with counts, delivery rate, errors and DLQ
 * size, the latest reload, and the last messages (↑/↓ to select, Enter to expand, q to quit).
 */
export function DevView({ stats, subscribe, services, steps, sinks, onQuit }: DevViewProps) {
  const [snapshot, setSnapshot] = useState<DevStats | undefined>(undefined);
  const [notice, setNotice] = useState<{ text: string; ok: boolean } | undefined>(undefined);
  const [selected, setSelected] = useState(0);
  const [expanded, setExpanded] = useState(false);
  const { exit } = useApp();

  useEffect(() => {
    let alive = true;
    const tick = () =>
      void stats().then((s) => {
        if (alive) setSnapshot(s);
      });
    tick();
    const timer = setInterval(tick, 500);
    const unsubscribe = subscribe((event) => {
      if (event.type === "reloaded")
        setNotice({ text: `reloaded ${event.file} in ${event.ms} ms`, ok: true });
      if (event.type === "reload-failed")
        setNotice({
          text: `reload failed, still running the last good version: ${event.message}`,
          ok: false,
        });
    });
    return () => {
      alive = false;
      clearInterval(timer);
      unsubscribe();
    };
  }, [stats, subscribe]);

  useInput((input, key) => {
    if (input === "q" || (key.ctrl && input === "c")) {
      exit();
      onQuit();
    } else if (key.upArrow) setSelected((i) => Math.max(0, i - 1));
    else if (key.downArrow) setSelected((i) => i + 1);
    else if (key.return) setExpanded((e) => !e);
  });

  const last = snapshot?.last.slice(0, 8) ?? [];
  const current = Math.min(selected, Math.max(0, last.length - 1));
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold color="cyan">
          vrsky dev
        </Text>{" "}
        {snapshot?.integration ?? "…"} <Text dimColor>· {services}</Text>
      </Text>
      <Box flexDirection="column" marginTop={1}>
        <Text>
          <Text dimColor>{"source ".padEnd(8)}</Text>
          {"received".padEnd(12)}
          <Text bold>{String(snapshot?.received ?? 0).padStart(8)}</Text>
        </Text>
        {steps.map((step) => (
          <Text key={step}>
            <Text dimColor>{"step   ".padEnd(8)}</Text>
            {step.padEnd(12)}
            <Text color="red">{snapshot?.failed[step] ? `${snapshot.failed[step]} failed` : ""}</Text>
          </Text>
        ))}
        {sinks.map((sink) => (
          <Text key={sink}>
            <Text dimColor>{"sink   ".padEnd(8)}</Text>
            {sink.padEnd(12)}
            <Text bold color="green">
              {String(snapshot?.delivered[sink] ?? 0).padStart(8)}
            </Text>
            <Text dimColor> delivered</Text>
            <Text color="red">
              {snapshot?.failed[sink] ? `  ${snapshot.failed[sink]} failed attempts` : ""}
            </Text>
          </Text>
        ))}
        <Text>
          <Text dimColor>{"".padEnd(8)}</Text>
          {"rate".padEnd(12)}
          {(snapshot?.rate ?? 0).toFixed(1).padStart(8)}
          <Text dimColor> msgs/s</Text>
          {"   retried "}
          {snapshot?.retried ?? 0}
          {"   DLQ "}
          <Text color={snapshot?.dlqSize ? "red" : "green"}>{snapshot?.dlqSize ?? 0}</Text>
        </Text>
      </Box>
      {notice && (
        <Box marginTop={1}>
          <Text color={notice.ok ? "green" : "red"}>{notice.text}</Text>
        </Box>
      )}
      <Box flexDirection="column" marginTop={1}>
        <Text dimColor>last messages (↑/↓ select · Enter expand · q quit)</Text>
        {last.map((m, i) => (
          <Box key={`${m.stage}-${m.id}-${m.at}`} flexDirection="column">
            <Text inverse={i === current}>
              {m.stage.padEnd(14)} {m.id.padEnd(24)} {String(m.size).padStart(7)} B{"  "}
              <Text dimColor>
                {i === current && expanded ? "" : m.preview.replace(/\s+/g, " ").slice(0, 40)}
              </Text>
            </Text>
            {i === current && expanded && (
              <Text>
                {"  "}
                {m.contentType}: {m.preview}
              </Text>
            )}
          </Box>
        ))}
      </Box>
    </Box>
  );
}
