/**
 * Refuses request data shaped like a database query. Every action validates its parameters
 * strictly anyway; this guard at the edge means a forgotten schema still cannot let
 * `{"email": {"$gt": ""}}` or `?email[$ne]=x` reach a store as an operator.
 */
const MAX_DEPTH = 32;

/** The path of the first key that starts with `$` or contains `.`, or `null` when there is none. */
export function findOperatorKey(value: unknown, path = "", depth = 0): string | null {
  if (depth > MAX_DEPTH || typeof value !== "object" || value === null) return null;
  for (const [key, child] of Object.entries(value)) {
    const childPath = path ? `${path}.${key}` : key;
    if (key.startsWith("$") || key.includes(".")) return childPath;
    const found = findOperatorKey(child, childPath, depth + 1);
    if (found) return found;
  }
  return null;
}
