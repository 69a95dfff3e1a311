import util from "node:util";
import DbService from "moleculer-db";
import type { DbAdapter } from "moleculer-db";
import { withNativePromises } from "../../../mixins/nedb-promises";

/**
 * Connects an embedded adapter and updates through it; returns how often a function wrapped by
 * `util.promisify` returned a Promise itself: Node's DEP0174 condition, counted here because
 * Node's own warning is raised on the worker's process, which a test cannot listen to.
 */
async function promisifyMistakes(adapter: DbAdapter): Promise<number> {
  const promisify = util.promisify;
  let mistakes = 0;
  const spy = jest.spyOn(util, "promisify").mockImplementation(((
    fn: (...args: unknown[]) => unknown,
  ) =>
    promisify(function (this: unknown, ...args: unknown[]) {
      const returned = fn.apply(this, args);
      if (returned instanceof Promise) mistakes++;
      return returned;
    })) as never);
  try {
    adapter.init({} as never, { schema: {} } as never);
    await (adapter as unknown as { connect(): Promise<void> }).connect();
    await adapter.insertMany([
      { _id: "a", status: "pending", n: 1 },
      { _id: "b", status: "pending", n: 2 },
    ]);
    expect(await adapter.updateMany({ status: "pending" }, { $set: { status: "confirmed" } })).toBe(
      2,
    );
    expect(await adapter.updateById("a", { $set: { n: 3 } })).toMatchObject({ _id: "a", n: 3 });
    expect(await adapter.updateMany({ status: "cancelled" }, { $set: { n: 0 } })).toBe(0);
    expect(await adapter.find({ sort: ["_id"] } as never)).toMatchObject([
      { _id: "a", status: "confirmed", n: 3 },
      { _id: "b", status: "confirmed", n: 2 },
    ]);
    return mistakes;
  } finally {
    spy.mockRestore();
  }
}

describe("the embedded store's updates", () => {
  it("as moleculer-db makes them, each promisify a function that returns a Promise (DEP0174)", async () => {
    const plain = new DbService.MemoryAdapter() as unknown as DbAdapter;
    expect(await promisifyMistakes(plain)).toBe(3);
  });

  it("through NeDB's own promise API give the same answers and raise none", async () => {
    const adapter = withNativePromises(new DbService.MemoryAdapter() as unknown as DbAdapter);
    expect(await promisifyMistakes(adapter)).toBe(0);
  });
});
