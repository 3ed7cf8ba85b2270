import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { z } from "zod";

/** A fenced block of a doc example, or of its fixture file: its language and its text. */
export interface ExampleBlock {
  /** Fence language, which is also the fixture file extension: `json`, `xml`, `csv`. */
  lang: string;
  /** Block content without the fences, without a trailing newline. */
  text: string;
}

/** One worked example of a connector docs page: an integration step and an input → output pair. */
export interface DocExample {
  /** The step's `name`, which also names the example's fixture folder. */
  step: string;
  /** The step's `connector`. */
  connector: string;
  /** The step's `config`. */
  config: unknown;
  /** The message body going in. */
  input: ExampleBlock;
  /** What comes out: a body, or for a filter its decision. */
  output: ExampleBlock;
}

const EXAMPLE = /<!-- example -->([\s\S]*?)<!-- \/example -->/g;
const FENCE = /```(\w+)\n([\s\S]*?)\n```/g;
const StepBlock = z.tuple([z.object({ name: z.string(), connector: z.string(), config: z.unknown() })]);

export function readDocExamples(docPath: string | URL): DocExample[] {
  const markdown = readFileSync(docPath, "utf8");
  return [...markdown.matchAll(EXAMPLE)].map((match, index) => {
    const blocks = [...(match[1] ?? "").matchAll(FENCE)].map((fence) => ({
      lang: fence[1] ?? "",
      text: fence[2] ?? "",
    }));
    const [step, input, output] = blocks;
    const parsed = step?.lang === "yaml" ? StepBlock.safeParse(parseYaml(step.text)) : undefined;
    if (blocks.length !== 3 || !parsed?.success || !input || !output) {
      throw new Error(
        `${String(docPath)}: example ${index + 1} must hold three fenced blocks: a yaml step ` +
          "(one `- name`, `connector`, `config` item), the input and the output",
      );
    }
    const [{ name, connector, config }] = parsed.data;
    return { step: name, connector, config, input, output };
  });
}

/**
 * Reads the fixture copy of a doc example: `<fixtures>/doc/<step>/config.json`, `input.<lang>`
 * and `output.<lang>`, with languages taken from the doc's blocks.
 *
 * @param fixtures - the connector's `__fixtures__` folder
 * @param example - the doc example to find the fixtures of
 */
export function readFixtureExample(fixtures: URL, example: DocExample): DocExample {
  const folder = new URL(`doc/${example.step}/`, fixtures);
  const read = (file: string): string => readFileSync(new URL(file, folder), "utf8").replace(/\n$/, "");
  return {
    step: example.step,
    connector: example.connector,
    config: JSON.parse(read("config.json")) as unknown,
    input: { lang: example.input.lang, text: read(`input.${example.input.lang}`) },
    output: { lang: example.output.lang, text: read(`output.${example.output.lang}`) },
  };
}

/**
 * A comparable form of an example block: JSON parsed (so formatting does not matter), other
 * text as it is.
 * @param block - a doc or fixture block
 */
export function blockValue(block: ExampleBlock): unknown {
  return block.lang === "json" ? (JSON.parse(block.text) as unknown) : block.text;
}

/**
 * An example with both blocks in {@link blockValue} form, for comparing a doc with its fixtures.
 * @param example - from {@link readDocExamples} or {@link readFixtureExample}
 */
export function comparableExample(example: DocExample): Omit<DocExample, "input" | "output"> & {
  input: unknown;
  output: unknown;
} {
  return { ...example, input: blockValue(example.input), output: blockValue(example.output) };
}
