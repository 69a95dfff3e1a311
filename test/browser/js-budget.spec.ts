/**
 * The first page must stay light for staff on old PCs and slow networks: everything index.html
 * loads (its scripts and the modules they import statically) under 100 KB of JavaScript, gzipped.
 */
import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

const WEB = path.resolve(__dirname, "..", "..", "dist", "web");
const BUDGET_BYTES = 100 * 1024;

/** The scripts a first load fetches: index.html's module scripts and their static imports. */
function firstLoadScripts(): string[] {
  const index = fs.readFileSync(path.join(WEB, "index.html"), "utf8");
  const pending = [...index.matchAll(/<script[^>]*src="\/([^"]+\.js)"/g)].map(match => match[1]);
  const seen = new Set<string>();
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const code = fs.readFileSync(path.join(WEB, file), "utf8");
    // Static imports between chunks are relative ("./x.js"); dynamic import() loads later.
    for (const match of code.matchAll(
      /(?:^|[;}\s])import\s*(?:[\w*{}\s,$]+from\s*)?"\.\/([^"]+\.js)"/g,
    )) {
      pending.push(path.posix.join(path.posix.dirname(file), match[1]));
    }
  }
  return [...seen];
}

it("loads under 100 KB of gzipped JavaScript on the first page", () => {
  const scripts = firstLoadScripts();
  expect(scripts.length).toBeGreaterThan(0);
  const gzipped = scripts.map(file => gzipSync(fs.readFileSync(path.join(WEB, file))).length);
  const total = gzipped.reduce((sum, size) => sum + size, 0);
  expect({ scripts, total, underBudget: total < BUDGET_BYTES }).toEqual({
    scripts,
    total,
    underBudget: true,
  });
});

it("has no inline script in index.html (the client's CSP refuses them)", () => {
  const index = fs.readFileSync(path.join(WEB, "index.html"), "utf8");
  const scripts = [...index.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
  expect(scripts.length).toBeGreaterThan(0);
  for (const [, attributes, body] of scripts) {
    expect(attributes).toMatch(/src="\/assets\//);
    expect(body.trim()).toBe("");
  }
});
