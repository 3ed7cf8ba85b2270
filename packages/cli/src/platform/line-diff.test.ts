import { describe, expect, it } from "vitest";
import { createTerminalStyle } from "../terminal-style.js";
import { diffLines, renderUnifiedDiff, unifiedDiff } from "./line-diff.js";

const plain = createTerminalStyle({ stream: {}, allowed: false });
const numbered = (from: number, to: number): string =>
  Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i}`).join("\n");

describe("diffLines", () => {
  it("keeps the longest common subsequence and marks the rest removed or added", () => {
    expect(diffLines("a\nb\nc\nd\n", "a\nc\nx\nd\n")).toEqual([
      { kind: "same", text: "a" },
      { kind: "removed", text: "b" },
      { kind: "same", text: "c" },
      { kind: "added", text: "x" },
      { kind: "same", text: "d" },
    ]);
  });

  it("treats CRLF and LF alike and ignores the final line break", () => {
    expect(diffLines("a\r\nb\r\n", "a\nb").every((line) => line.kind === "same")).toBe(true);
  });

  it("diffs from and to an empty text", () => {
    expect(diffLines("", "a\n")).toEqual([{ kind: "added", text: "a" }]);
    expect(diffLines("a\n", "")).toEqual([{ kind: "removed", text: "a" }]);
  });
});

describe("unifiedDiff", () => {
  it("has no hunks for texts with the same lines", () => {
    expect(unifiedDiff("a\nb\n", "a\nb")).toEqual([]);
  });

  it("shows a change with three lines of context and diff -u's line ranges", () => {
    const before = numbered(1, 10);
    const after = before.replace("line 5", "line five");
    expect(renderUnifiedDiff(unifiedDiff(before, after), { before: "old", after: "new" }, plain)).toEqual([
      "--- old",
      "+++ new",
      "@@ -2,7 +2,7 @@",
      " line 2",
      " line 3",
      " line 4",
      "-line 5",
      "+line five",
      " line 6",
      " line 7",
      " line 8",
    ]);
  });

  it("merges changes close together into one hunk and keeps distant ones apart", () => {
    const before = numbered(1, 30);
    const close = before.replace("line 5", "x").replace("line 10", "y");
    expect(unifiedDiff(before, close)).toHaveLength(1);
    const far = before.replace("line 2", "x").replace("line 25", "y");
    expect(unifiedDiff(before, far).map((h) => [h.oldStart, h.oldLines, h.newStart, h.newLines])).toEqual([
      [1, 5, 1, 5],
      [22, 7, 22, 7],
    ]);
  });

  it("numbers a pure insertion from the line before it, as diff -u does", () => {
    const [hunk] = unifiedDiff("a\n", "a\nb\n", { context: 0 });
    expect(hunk).toMatchObject({ oldStart: 1, oldLines: 0, newStart: 2, newLines: 1 });
  });
});
