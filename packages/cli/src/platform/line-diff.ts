import type { TerminalStyle } from "../terminal-style.js";

/** One line of a diff: kept, removed from the old text, or added in the new one. */
export interface DiffLine {
  kind: "same" | "removed" | "added";
  text: string;
}

/** A run of changes with its context, as `@@ -oldStart,oldLines +newStart,newLines @@` shows it. */
export interface DiffHunk {
  /** 1-based first line in the old text (0 when it has no lines here). */
  oldStart: number;
  oldLines: number;
  /** 1-based first line in the new text (0 when it has no lines here). */
  newStart: number;
  newLines: number;
  lines: DiffLine[];
}

/** Options of {@link unifiedDiff}. */
export interface UnifiedDiffOptions {
  /** Unchanged lines shown around each change. @default 3 */
  context?: number;
}

// A longest-common-subsequence table of the changed middle is quadratic; past this many cells
// the middle is shown as replaced outright, which is still a correct diff, only a longer one.
const MAX_CELLS = 4_000_000;

/**
 * The line diff of two texts, as the shortest edit keeping the longest common subsequence of
 * lines. `\r\n` and `\n` are the same line break; a final line break adds no empty line.
 *
 * @param before - the old text
 * @param after - the new text
 * @returns every line of both, in order, each kept, removed or added
 * @example
 * ```ts
 * diffLines("a\nb\n", "a\nc\n");
 * // [{ kind: "same", text: "a" }, { kind: "removed", text: "b" }, { kind: "added", text: "c" }]
 * ```
 */
export function diffLines(before: string, after: string): DiffLine[] {
  const a = splitLines(before);
  const b = splitLines(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const same = (text: string): DiffLine => ({ kind: "same", text });
  return [
    ...a.slice(0, start).map(same),
    ...diffMiddle(a.slice(start, endA), b.slice(start, endB)),
    ...a.slice(endA).map(same),
  ];
}

/**
 * The hunks of a unified diff: each change with `context` unchanged lines around it, changes
 * closer than twice that merged into one hunk. No hunks when the texts have the same lines.
 *
 * @param before - the old text
 * @param after - the new text
 * @param options - lines of context
 */
export function unifiedDiff(before: string, after: string, options: UnifiedDiffOptions = {}): DiffHunk[] {
  const context = options.context ?? 3;
  const lines = diffLines(before, after);
  const changes = lines.flatMap((line, i) => (line.kind === "same" ? [] : [i]));
  // Runs of changes at most 2 × context unchanged lines apart share a hunk.
  const groups: { first: number; last: number }[] = [];
  for (const i of changes) {
    const group = groups.at(-1);
    if (group !== undefined && i - group.last - 1 <= 2 * context) group.last = i;
    else groups.push({ first: i, last: i });
  }
  // Line numbers in the old and the new text before each entry of `lines`.
  const offsets: { old: number; new: number }[] = [];
  let oldLine = 0;
  let newLine = 0;
  for (const line of lines) {
    offsets.push({ old: oldLine, new: newLine });
    if (line.kind !== "added") oldLine++;
    if (line.kind !== "removed") newLine++;
  }
  return groups.map(({ first, last }) => {
    const from = Math.max(0, first - context);
    const slice = lines.slice(from, Math.min(lines.length, last + context + 1));
    const at = offsets[from] ?? { old: 0, new: 0 };
    const oldLines = slice.filter((l) => l.kind !== "added").length;
    const newLines = slice.filter((l) => l.kind !== "removed").length;
    // As `diff -u` writes it: a side without lines here starts at the line before the hunk.
    return {
      oldStart: oldLines === 0 ? at.old : at.old + 1,
      oldLines,
      newStart: newLines === 0 ? at.new : at.new + 1,
      newLines,
      lines: slice,
    };
  });
}

/**
 * Renders hunks as unified diff text, `---`/`+++` headers first; removed lines red, added ones
 * green when the style has colour.
 *
 * @param hunks - from {@link unifiedDiff}
 * @param labels - what the old and the new text are, e.g. `orders v2 (deployed)` and `orders.yaml`
 * @param style - the output's styles
 * @returns the lines to print
 */
export function renderUnifiedDiff(
  hunks: readonly DiffHunk[],
  labels: { before: string; after: string },
  style: Pick<TerminalStyle, "red" | "green" | "dim" | "bold">,
): string[] {
  const out = [style.bold(`--- ${labels.before}`), style.bold(`+++ ${labels.after}`)];
  for (const hunk of hunks) {
    out.push(
      style.dim(`@@ -${range(hunk.oldStart, hunk.oldLines)} +${range(hunk.newStart, hunk.newLines)} @@`),
    );
    for (const line of hunk.lines) {
      if (line.kind === "removed") out.push(style.red(`-${line.text}`));
      else if (line.kind === "added") out.push(style.green(`+${line.text}`));
      else out.push(` ${line.text}`);
    }
  }
  return out;
}

function range(start: number, lines: number): string {
  return lines === 1 ? String(start) : `${start},${lines}`;
}

function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

function diffMiddle(a: readonly string[], b: readonly string[]): DiffLine[] {
  const removed = (text: string): DiffLine => ({ kind: "removed", text });
  const added = (text: string): DiffLine => ({ kind: "added", text });
  if (a.length === 0 || b.length === 0 || a.length * b.length > MAX_CELLS) {
    return [...a.map(removed), ...b.map(added)];
  }
  // lcs[i][j]: the longest common subsequence of a[i..] and b[j..], one flat row-major array.
  const width = b.length + 1;
  const lcs = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i * width + j] =
        a[i] === b[j]
          ? (lcs[(i + 1) * width + j + 1] ?? 0) + 1
          : Math.max(lcs[(i + 1) * width + j] ?? 0, lcs[i * width + j + 1] ?? 0);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as string;
    const y = b[j] as string;
    if (x === y) {
      out.push({ kind: "same", text: x });
      i++;
      j++;
    } else if ((lcs[(i + 1) * width + j] ?? 0) >= (lcs[i * width + j + 1] ?? 0)) {
      out.push(removed(x));
      i++;
    } else {
      out.push(added(y));
      j++;
    }
  }
  return [...out, ...a.slice(i).map(removed), ...b.slice(j).map(added)];
}
