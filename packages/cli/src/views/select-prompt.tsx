import { Box, Text, useApp, useInput } from "ink";
import { useState } from "react";

/** One choice of a {@link SelectPrompt}. */
export interface SelectChoice<V extends string> {
  /** What is returned when chosen. */
  value: V;
  /** A short explanation shown beside the value. */
  hint?: string;
}

/** Props of {@link SelectPrompt}. */
export interface SelectPromptProps<V extends string> {
  /** The question, e.g. "Connector kind". */
  message: string;
  /** The choices, in order; the first is highlighted initially. */
  choices: readonly SelectChoice<V>[];
  /** Called once with the chosen value. */
  onSubmit(value: V): void;
  /** Called when the user presses Escape or Ctrl+C. */
  onCancel(): void;
}

/** Picks one value from a list with the arrow keys (or j/k) and Enter. */
export function SelectPrompt<V extends string>({
  message,
  choices,
  onSubmit,
  onCancel,
}: SelectPromptProps<V>) {
  const [index, setIndex] = useState(0);
  const [chosen, setChosen] = useState<V | undefined>(undefined);
  const { exit } = useApp();
  useInput((input, key) => {
    if (chosen !== undefined) return;
    if (key.escape || (key.ctrl && input === "c")) {
      onCancel();
      exit();
    } else if (key.upArrow || input === "k") {
      setIndex((i) => (i - 1 + choices.length) % choices.length);
    } else if (key.downArrow || input === "j") {
      setIndex((i) => (i + 1) % choices.length);
    } else if (key.return) {
      const choice = choices[index];
      if (choice === undefined) return;
      setChosen(choice.value);
      onSubmit(choice.value);
      exit();
    }
  });
  if (chosen !== undefined) {
    return (
      <Text>
        <Text color="green">✓</Text> {message}: <Text bold>{chosen}</Text>
      </Text>
    );
  }
  return (
    <Box flexDirection="column">
      <Text>
        <Text color="cyan">?</Text> {message} <Text dimColor>(↑/↓, Enter)</Text>
      </Text>
      {choices.map((choice, i) => (
        <Text key={choice.value}>
          {i === index ? <Text color="cyan">❯ {choice.value}</Text> : `  ${choice.value}`}
          {choice.hint ? <Text dimColor> — {choice.hint}</Text> : null}
        </Text>
      ))}
    </Box>
  );
}
