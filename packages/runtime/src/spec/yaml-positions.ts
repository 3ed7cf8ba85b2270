import { type Document, isAlias, isMap, isNode, isScalar, isSeq, type LineCounter } from "yaml";
import type { PathSegment, SourcePosition, SpecPositions } from "./spec-issues.js";

/**
 * Positions of a parsed YAML (or JSON) document: a path points at the key that holds its value
 * (`sinks.db.config.url` → the line of `url:`), an array index at the item.
 *
 * @param doc - the document from `parseDocument`
 * @param lineCounter - the `LineCounter` passed to `parseDocument`
 */
export function yamlPositions(doc: Document, lineCounter: LineCounter): SpecPositions {
  const at = (offset: number | undefined): SourcePosition | undefined => {
    if (offset === undefined) return undefined;
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  return {
    locate(path: readonly PathSegment[]): SourcePosition | undefined {
      let node: unknown = doc.contents;
      let found = isNode(node) ? at(node.range?.[0]) : undefined;
      for (const segment of path) {
        if (isAlias(node)) node = node.resolve(doc);
        if (isMap(node)) {
          const pair = node.items.find(
            (p) => String(isScalar(p.key) ? p.key.value : p.key) === String(segment),
          );
          if (pair === undefined) break;
          found = at(isScalar(pair.key) ? pair.key.range?.[0] : undefined) ?? found;
          node = pair.value;
        } else if (isSeq(node) && typeof segment === "number") {
          const item: unknown = node.items[segment];
          if (item === undefined) break;
          found = (isNode(item) ? at(item.range?.[0]) : undefined) ?? found;
          node = item;
        } else {
          break;
        }
      }
      return found;
    },
  };
}
