import { Box, Text, useApp, useInput } from "ink";
import { useState } from "react";

/** Props of {@link TextPrompt}. */
export interface TextPromptProps {
  /** The question, e.g. "Connector name". */
  message: string;
  /** Returns what is wrong with a value, or `undefined` when it is acceptable. */
  validate?(value: string): string | undefined;
  /** Called once with the accepted value. */
  onSubmit(value: string): void;
  /** Called when the user presses Escape or Ctrl+C. */
  onCancel(): void;
  /** Shows a bullet per character instead of the text, and keeps spaces at the ends. */
  mask?: boolean;
}

/** Reads one line of text, showing the validation problem under it until it is fixed. */
export function TextPrompt({ message, validate, onSubmit, onCancel, mask = false }: TextPromptProps) {
  const [value, setValue] = useState("");
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [done, setDone] = useState(false);
  const { exit } = useApp();
  useInput((input, key) => {
    if (done) return;
    if (key.escape || (key.ctrl && input === "c")) {
      onCancel();
      exit();
    } else if (key.return) {
      const trimmed = mask ? value : value.trim();
      const found = validate?.(trimmed);
      if (found !== undefined) {
        setProblem(found);
        return;
      }
      setDone(true);
      onSubmit(trimmed);
      exit();
    } else if (key.backspace || key.delete) {
      setValue((v) => v.slice(0, -1));
      setProblem(undefined);
    } else if (!key.ctrl && !key.meta && input) {
      setValue((v) => v + input);
      setProblem(undefined);
    }
  });
  return (
    <Box flexDirection="column">
      <Text>
        <Text color={done ? "green" : "cyan"}>{done ? "✓" : "?"}</Text> {message}:{" "}
        <Text bold>{mask ? "•".repeat(value.length) : value}</Text>
        {done ? null : <Text inverse> </Text>}
      </Text>
      {problem ? <Text color="red">{problem}</Text> : null}
    </Box>
  );
}
