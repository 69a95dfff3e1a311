/** Path patterns such as `/spaces/:id`, kept free of the DOM so they are unit-tested in Node. */

/** The parameters of `path` under `pattern`, or null when it does not match. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split("/").slice(1);
  // A trailing slash is the same page: /find/ is /find.
  const have = (path.length > 1 ? path.replace(/\/+$/, "") : path).split("/").slice(1);
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (const [index, part] of want.entries()) {
    if (!part.startsWith(":")) {
      if (part !== have[index]) return null;
      continue;
    }
    let value: string;
    try {
      value = decodeURIComponent(have[index]);
    } catch {
      return null; // a malformed escape matches nothing: the user sees "page not found"
    }
    if (value === "") return null;
    params[part.slice(1)] = value;
  }
  return params;
}
