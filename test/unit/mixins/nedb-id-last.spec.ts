import DbService from "moleculer-db";
import type { DbAdapter } from "moleculer-db";
import { idLast, withIdLast } from "../../../mixins/nedb-id-last";
import { withNativePromises } from "../../../mixins/nedb-promises";

describe("the embedded store's queries name _id last", () => {
  it("moves _id to the end and leaves other queries alone", () => {
    expect(Object.keys(idLast({ _id: "a", status: "confirmed", version: 2 }))).toEqual([
      "status",
      "version",
      "_id",
    ]);
    expect(idLast({ status: "confirmed" })).toEqual({ status: "confirmed" });
  });

  it("reads, updates and removes one record through the wrapped adapter", async () => {
    const adapter = withIdLast(
      withNativePromises(new DbService.MemoryAdapter() as unknown as DbAdapter),
    );
    adapter.init({} as never, { schema: {} } as never);
    await (adapter as unknown as { connect(): Promise<void> }).connect();
    await adapter.insertMany([
      { _id: "a", status: "confirmed", n: 1 },
      { _id: "b", status: "confirmed", n: 2 },
    ]);
    expect(await adapter.updateMany({ _id: "a", status: "confirmed" }, { $set: { n: 3 } })).toBe(1);
    expect(await adapter.findOne({ _id: "a", status: "confirmed" })).toMatchObject({ n: 3 });
    expect(await adapter.count({ query: { _id: "b", status: "confirmed" } })).toBe(1);
    expect(await adapter.find({ query: { _id: "b", status: "cancelled" } })).toEqual([]);
    expect(await adapter.removeMany({ _id: "b", status: "confirmed" })).toBe(1);
    expect(await adapter.count({ query: {} })).toBe(1);
  });
});
