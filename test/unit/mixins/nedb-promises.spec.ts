import DbService from "moleculer-db";
import type { DbAdapter } from "moleculer-db";
import { withNativePromises } from "../../../mixins/nedb-promises";

async function connected(adapter: DbAdapter) {
  adapter.init({} as never, { schema: {}, logger: console } as never);
  await adapter.connect();
  return adapter;
}

describe("the embedded adapter's store methods", () => {
  // That they raise no process warning is tested in a process of its own (Node raises them on
  // its real process object, which jest's sandbox does not show): test/e2e/embedded-store-warnings.
  it("insert, count, update and remove with the results the adapter gave before", async () => {
    const adapter = await connected(withNativePromises(new DbService.MemoryAdapter()));
    await adapter.insert({ _id: "a", n: 1 });
    await adapter.insertMany([
      { _id: "b", n: 2 },
      { _id: "c", n: 3 },
    ]);
    expect(await adapter.count({ query: {} })).toBe(3);
    expect(await adapter.updateMany({ n: { $gte: 2 } }, { $inc: { n: 10 } })).toBe(2);
    expect(await adapter.updateById("a", { $set: { n: 5 } })).toMatchObject({ _id: "a", n: 5 });
    expect(await adapter.findById("b")).toMatchObject({ n: 12 });
    expect(await adapter.removeMany({ n: { $gt: 10 } })).toBe(2);
    expect(await adapter.count({ query: {} })).toBe(1);
  });

  it("counts without finding, so no document is copied only to be counted", async () => {
    const adapter = await connected(withNativePromises(new DbService.MemoryAdapter()));
    await adapter.insertMany([
      { _id: "a", ownerId: "u1" },
      { _id: "b", ownerId: "u1" },
      { _id: "c", ownerId: "u2" },
    ]);
    const store = (adapter as unknown as { db: { find: (query: object) => unknown } }).db;
    const find = jest.spyOn(store, "find");
    expect(await adapter.count({ query: { ownerId: "u1" } })).toBe(2);
    expect(await adapter.count()).toBe(3);
    expect(find).not.toHaveBeenCalled();
  });

  it("refuses a duplicate key as before, so unique indexes still guard", async () => {
    const adapter = await connected(withNativePromises(new DbService.MemoryAdapter()));
    await adapter.insert({ _id: "a" });
    await expect(adapter.insert({ _id: "a" })).rejects.toMatchObject({
      errorType: "uniqueViolated",
    });
  });
});
