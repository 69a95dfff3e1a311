/**
 * The embedded store's writes raise no process warning. moleculer-db promisifies a function that
 * returns a Promise for `update`, and Node 22 then warns (DEP0174), a Warning object with a stack
 * trace on every update (mixins/nedb-promises.ts). Node raises it on the real process, which
 * jest's sandbox hides, so it is counted in a process of its own, on the built `dist/`.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");
const WRAPPER = path.join(ROOT, "dist", "mixins", "nedb-promises.js");

/** Counts the warnings while five updates and an insert run on the embedded adapter. */
function warningsDuringWrites(wrapped: boolean): number {
  const script = `
    const DbService = require(${JSON.stringify(path.join(ROOT, "node_modules", "moleculer-db"))});
    const { withNativePromises } = require(${JSON.stringify(WRAPPER)});
    let warnings = 0;
    process.on("warning", () => warnings++);
    (async () => {
      const plain = new DbService.MemoryAdapter();
      const adapter = ${wrapped ? "withNativePromises(plain)" : "plain"};
      adapter.init({}, { schema: {}, logger: console });
      await adapter.connect();
      await adapter.insert({ _id: "a", n: 1 });
      for (let i = 0; i < 5; i++) await adapter.updateMany({ _id: "a" }, { $inc: { n: 1 } });
      await new Promise(resolve => setTimeout(resolve, 50));
      process.stdout.write(String(warnings));
    })();`;
  return Number(
    execFileSync(process.execPath, ["-e", script], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }),
  );
}

describe("the embedded store's writes", () => {
  beforeAll(() => {
    if (!fs.existsSync(WRAPPER)) throw new Error(`${WRAPPER} is missing: run \`npm run build\``);
  });

  it("raise no process warning", () => {
    expect(warningsDuringWrites(true)).toBe(0);
  });

  it("did raise one per update through moleculer-db's own promisified methods", () => {
    expect(warningsDuringWrites(false)).toBe(5);
  });
});
