import type { DbAdapter } from "moleculer-db";
import type { ServiceSchema } from "moleculer";
import { createDbMixin } from "../../../mixins/db.mixin";
import { byIdOnly, withIdLookups } from "../../../mixins/mongo-id-lookups";
import { testConfig } from "../../support/test-env";

describe("a Mongo query naming a record by _id", () => {
  it("turns its other scalar equalities into $in of one value", () => {
    expect(byIdOnly({ _id: "a", status: "pending", version: 2, active: true })).toEqual({
      _id: "a",
      status: { $in: ["pending"] },
      version: { $in: [2] },
      active: { $in: [true] },
    });
  });

  it("leaves operators, arrays, null and nested documents as they are", () => {
    const query = {
      _id: "a",
      outboxIds: ["e1", "e2"],
      pendingSince: { $exists: false },
      cancelledAt: null,
      updatedAt: { $lt: "2026-12-01T00:00:00.000Z" },
      $or: [{ status: "pending" }],
    };
    expect(byIdOnly(query)).toEqual(query);
  });

  it("leaves queries that do not name one record alone", () => {
    expect(byIdOnly({ status: "pending" })).toEqual({ status: "pending" });
    expect(byIdOnly({ _id: { $in: ["a", "b"] }, status: "pending" })).toEqual({
      _id: { $in: ["a", "b"] },
      status: "pending",
    });
    expect(byIdOnly(null)).toBeNull();
  });

  it("is what the wrapped adapter's query methods hand the store", async () => {
    const seen: unknown[] = [];
    const record = (value: unknown) => {
      seen.push(value);
      return Promise.resolve(0);
    };
    const adapter = withIdLookups({
      find: record,
      findOne: record,
      count: record,
      updateMany: (query: unknown) => record(query),
      removeMany: record,
    } as unknown as DbAdapter);
    const query = { _id: "a", status: "pending" };
    const handed = { _id: "a", status: { $in: ["pending"] } };
    await adapter.find({ query, limit: 1 });
    await adapter.findOne(query);
    await adapter.count({ query });
    await adapter.updateMany(query, { $set: { status: "confirmed" } });
    await adapter.removeMany(query);
    expect(seen).toEqual([{ query: handed, limit: 1 }, handed, { query: handed }, handed, handed]);
  });

  it("is how a service's Mongo store is wired (mixins/db.mixin.ts)", async () => {
    const mixin = createDbMixin(
      { collection: "reservations" },
      testConfig({ mongoUri: "mongodb://127.0.0.1:9/never-connected" }),
    );
    const schema = { name: "reservations" } as ServiceSchema & { adapter: DbAdapter };
    (mixin.merged as (schema: ServiceSchema) => void)(schema);
    const handed: unknown[] = [];
    // The driver's collection, as the adapter has it once connected.
    Object.assign(schema.adapter, {
      collection: {
        updateMany: (query: unknown) => {
          handed.push(query);
          return Promise.resolve({ modifiedCount: 0 });
        },
      },
    });
    await schema.adapter.updateMany({ _id: "a", status: "pending" }, { $set: { n: 1 } });
    expect(handed).toEqual([{ _id: "a", status: { $in: ["pending"] } }]);
  });
});
