/**
 * The MongoDB adapter (mixins/mongo-adapter.ts) on the current driver, against the Mongo-wire
 * server: what each call that the driver changed gives back, the inherited queries through it,
 * and what it logs when its database goes away and comes back.
 */
import { ObjectId } from "mongodb";
import type { DbAdapter } from "moleculer-db";
import { findMany } from "../../lib/store";
import { MongoAdapter } from "../../mixins/mongo-adapter";
import { ownFerretDb, type OwnFerretDb } from "../support/ferretdb-own";
import { dropDatabase, mongoUri, uniqueName } from "../support/test-env";
import { waitFor } from "../support/waiting";

type Logged = [level: string, message: string];

function connected(adapter: MongoAdapter, collection: string, logged: Logged[] = []) {
  const log = (level: string) => (message: string) => logged.push([level, message]);
  const logger = { info: log("info"), warn: log("warn"), error: log("error") };
  adapter.init({} as never, { schema: { collection }, logger } as never);
  return adapter.connect();
}

describe("the MongoDB adapter on the current driver", () => {
  const uri = mongoUri(uniqueName("mongo_adapter").replace(/-/g, "_"));
  const adapter = new MongoAdapter(uri);
  const store = adapter as unknown as DbAdapter;

  beforeAll(() => connected(adapter, "things"));
  afterAll(async () => {
    await adapter.disconnect();
    await dropDatabase(uri);
  });

  it("gives back what it inserted, with the id the store made or the one it was given", async () => {
    const made = (await store.insert({ name: "a" })) as { _id: unknown; name: string };
    expect(made._id).toBeInstanceOf(ObjectId);
    expect(made).toEqual({ _id: made._id, name: "a" });
    expect(await store.insert({ _id: "chosen", name: "b" })).toEqual({ _id: "chosen", name: "b" });

    // moleculer-db hands insertMany one array (its typings say a list of arguments).
    const batch = await adapter.insertMany([{ name: "c" }, { _id: "d", name: "d" }]);
    expect(batch).toEqual([
      { _id: expect.any(ObjectId), name: "c" },
      { _id: "d", name: "d" },
    ]);
    await store.clear();
  });

  it("finds, changes and removes by id, an ObjectId given as its hex string", async () => {
    const { _id } = (await store.insert({ name: "before" })) as { _id: ObjectId };
    const id = _id.toHexString();
    expect(await store.findById(id)).toEqual({ _id, name: "before" });
    expect(await store.findByIds([id])).toEqual([{ _id, name: "before" }]);
    expect(await store.updateById(id, { $set: { name: "after" } })).toEqual({ _id, name: "after" });
    expect(await store.removeById(id)).toEqual({ _id, name: "after" });
    // Nothing there: null, which moleculer-db answers with 404.
    expect(await store.updateById(id, { $set: { name: "again" } })).toBeNull();
    expect(await store.removeById(id)).toBeNull();
  });

  it("pages, sorts and counts through the library's own queries", async () => {
    await adapter.insertMany([1, 2, 3, 4, 5].map(n => ({ _id: `n${n}`, n, odd: n % 2 === 1 })));
    const page = await findMany(store, { query: { odd: true }, sort: ["-n"], limit: 2, offset: 1 });
    expect(page).toEqual([
      { _id: "n3", n: 3, odd: true },
      { _id: "n1", n: 1, odd: true },
    ]);
    expect(await store.count({ query: { odd: true } })).toBe(3);
    expect(await store.count()).toBe(5);
    expect(await store.updateMany({ odd: false }, { $set: { even: true } })).toBe(2);
    expect(await store.removeMany({ even: true })).toBe(2);
  });
});

describe("the MongoDB adapter when its database goes away", () => {
  let database: OwnFerretDb;

  beforeAll(async () => {
    database = await ownFerretDb();
  });
  afterAll(() => database?.remove());

  it("says so, and says when it is back, with no restart", async () => {
    const logged: Logged[] = [];
    // Checked twice a second rather than every ten, to keep the test short.
    const adapter = new MongoAdapter(`${database.url}/outage`, { heartbeatFrequencyMS: 500 });
    await connected(adapter, "things", logged);
    const store = adapter as unknown as DbAdapter;
    try {
      await store.insert({ _id: "kept" });
      await database.stop();
      await waitFor(() => logged.some(([level]) => level === "warn"), "the warning");
      await database.start();
      await waitFor(() => logged.at(-1)?.[0] === "info", "the reconnection");
      expect(await store.findOne({ _id: "kept" })).toEqual({ _id: "kept" });
      expect(logged).toEqual([
        ["info", "MongoDB adapter has connected successfully."],
        ["warn", "MongoDB adapter has lost its database server."],
        ["info", "MongoDB adapter has reconnected."],
      ]);
    } finally {
      await adapter.disconnect();
    }
  });
});
