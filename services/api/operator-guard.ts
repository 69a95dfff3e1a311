/**
 * Refuses request data shaped like a database query or like an object's prototype. Every action
 * validates its parameters strictly anyway; this guard at the edge means a forgotten schema still
 * cannot let `{"email": {"$gt": ""}}` or `?email[$ne]=x` reach a store as an operator, and a
 * `__proto__` key cannot become the prototype of the merged parameters, where strict validation
 * and this guard would no longer see its keys.
 */
const PROTOTYPE_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** Bodies are limited to this depth before they are parsed (see json-depth.ts). */
export const MAX_DEPTH = 32;

function refusedKey(key: string): boolean {
  return key.startsWith("$") || key.includes(".") || PROTOTYPE_KEYS.has(key);
}

/**
 * The path of the first refused key, or `null` when there is none. Data nested deeper than
 * MAX_DEPTH is refused as a whole (its path is returned), never passed unchecked.
 */
export function findOperatorKey(value: unknown, path = "", depth = 0): string | null {
  if (typeof value !== "object" || value === null) return null;
  if (depth > MAX_DEPTH) return path;
  // An object whose prototype was replaced hides keys from Object.keys: refuse it outright.
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== Array.prototype && proto !== null) {
    return path ? `${path}.__proto__` : "__proto__";
  }
  for (const key of Object.keys(value)) {
    const childPath = path ? `${path}.${key}` : key;
    if (refusedKey(key)) return childPath;
    const found = findOperatorKey((value as Record<string, unknown>)[key], childPath, depth + 1);
    if (found) return found;
  }
  return null;
}

/**
 * The path of the first `null` in a request body, or `null` when there is none. No field of the
 * API takes null, but the parameter validator lets it through wherever a field is optional
 * (fastest-validator reads "optional" as "undefined or null"), and the services read an optional
 * field by whether it is undefined: `{"equipment": null}` was stored, and then every search's
 * facets failed on it with a 500.
 */
export function findNull(value: unknown, path = ""): string | null {
  if (typeof value !== "object" || value === null) return null;
  for (const key of Object.keys(value)) {
    const childPath = path ? `${path}.${key}` : key;
    const child = (value as Record<string, unknown>)[key];
    if (child === null) return childPath;
    const found = findNull(child, childPath);
    if (found) return found;
  }
  return null;
}
