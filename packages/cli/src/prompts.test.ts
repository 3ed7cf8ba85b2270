import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { type PromptTerminal, promptSelect, promptText } from "./prompts.js";

/** A terminal whose keys the test types and whose screen it reads. */
function fakeTerminal(): PromptTerminal & { press(key: string): Promise<void>; screen(): string } {
  const stdin = Object.assign(new PassThrough(), {
    isTTY: true,
    setRawMode: () => stdin,
    ref: () => stdin,
    unref: () => stdin,
  });
  const output = Object.assign(new PassThrough(), { isTTY: true, columns: 80, rows: 24 });
  let screen = "";
  output.on("data", (chunk: Buffer) => {
    screen += chunk.toString();
  });
  return {
    stdin: stdin as unknown as NodeJS.ReadStream,
    output: output as unknown as NodeJS.WriteStream,
    // One key at a time, each awaited until it redraws the screen: keys written together
    // arrive as one chunk, which a terminal would not send for separate key presses.
    press: async (key) => {
      const before = screen.length;
      stdin.write(key);
      await expect.poll(() => screen.length).toBeGreaterThan(before);
    },
    screen: () => screen,
  };
}

describe("prompts", () => {
  it("selects the highlighted choice after moving down with the arrow key", async () => {
    const terminal = fakeTerminal();
    const answer = promptSelect("Connector kind", [{ value: "consumer" }, { value: "producer" }], terminal);
    await expect.poll(() => terminal.screen()).toContain("consumer");
    await terminal.press("\u001B[B");
    expect(terminal.screen()).toContain("❯ producer");
    await terminal.press("\r");
    expect(await answer).toBe("producer");
  });

  it("keeps asking for text until it is valid", async () => {
    const terminal = fakeTerminal();
    const answer = promptText("Name", (v) => (v.includes("_") ? "no underscores" : undefined), terminal);
    await expect.poll(() => terminal.screen()).toContain("Name");
    for (const key of ["a", "_", "\r"]) await terminal.press(key);
    expect(terminal.screen()).toContain("no underscores");
    for (const key of ["\u007F", "-", "b", "\r"]) await terminal.press(key);
    expect(await answer).toBe("a-b");
  });
});
