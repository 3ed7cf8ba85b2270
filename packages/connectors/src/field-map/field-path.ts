import { FatalError } from "@vrsky/sdk";

/** A JSON object or array that paths walk through. */
type Container = Record<string, unknown> | unknown[];

const INDEX = /^(0|[1-9]\d*)$/;

function isContainer(value: unknown): value is Container {
  return typeof value === "object" && value !== null;
}

function child(container: Container, segment: string): unknown {
  if (Array.isArray(container)) return INDEX.test(segment) ? container[Number(segment)] : undefined;
  return Object.hasOwn(container, segment) ? container[segment] : undefined;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}

/**
 * The value at a dotted path, or `undefined` when any step is missing.
 * @param root - a parsed JSON value
 * @param path - e.g. `customer.address.city` or `items.0.sku`
 */
export function getPath(root: unknown, path: string): unknown {
  let node = root;
  for (const segment of path.split(".")) {
    if (!isContainer(node)) return undefined;
    node = child(node, segment);
  }
  return node;
}

/**
 * Sets the value at a dotted path, creating missing objects (or arrays, before a numeric segment).
 * @param root - the object to change
 * @param path - dotted path
 * @param value - the value to store
 * @throws FatalError when a step of the path holds a scalar, so the value has nowhere to go
 */
export function setPath(root: Record<string, unknown>, path: string, value: unknown): void {
  const segments = path.split(".");
  let node: Container = root;
  segments.forEach((segment, index) => {
    const last = index === segments.length - 1;
    if (Array.isArray(node) && !INDEX.test(segment)) {
      throw new FatalError(`cannot set \`${path}\`: \`${segments.slice(0, index).join(".")}\` is an array`);
    }
    const key: string | number = Array.isArray(node) ? Number(segment) : segment;
    const container: Record<string | number, unknown> = node as Record<string | number, unknown>;
    if (last) {
      container[key] = value;
      return;
    }
    let next = child(node, segment);
    if (next === undefined || next === null) {
      next = INDEX.test(segments[index + 1] ?? "") ? [] : {};
      container[key] = next;
    }
    if (!isContainer(next)) {
      throw new FatalError(
        `cannot set \`${path}\`: \`${segments.slice(0, index + 1).join(".")}\` is ${describe(next)}, not an object`,
      );
    }
    node = next;
  });
}

/**
 * Removes the field at a dotted path (an array element is spliced out). A missing path is a no-op.
 * @param root - the object to change
 * @param path - dotted path
 * @returns whether something was removed
 */
export function deletePath(root: Record<string, unknown>, path: string): boolean {
  const segments = path.split(".");
  const last = segments.pop();
  const parent = segments.length === 0 ? root : getPath(root, segments.join("."));
  if (last === undefined || !isContainer(parent)) return false;
  if (Array.isArray(parent)) {
    if (!INDEX.test(last) || Number(last) >= parent.length) return false;
    parent.splice(Number(last), 1);
    return true;
  }
  if (!Object.hasOwn(parent, last)) return false;
  delete parent[last];
  return true;
}
