/**
 * The candidate most like `name`, if one is close enough to be a likely typo (an edit distance
 * of at most a third of the name's length, and at least 1 allowed).
 *
 * @param name - what the user wrote
 * @param candidates - the names that exist
 * @returns the closest candidate, or `undefined` when none is close
 * @example
 * ```ts
 * closestName("http-webhok", ["http-webhook", "slack"]); // "http-webhook"
 * ```
 */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(1, Math.floor(name.length / 3));
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance <= limit && (best === undefined || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

/**
 * The Levenshtein distance between two strings: the fewest single-character insertions,
 * deletions and substitutions that turn `a` into `b`.
 * @param a - one string
 * @param b - the other
 */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
