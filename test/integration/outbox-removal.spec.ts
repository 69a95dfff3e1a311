/**
 * Removing published events from a record's outbox (mixins/durable-events.mixin.ts): one write
 * in the usual case, and never an event another change staged meanwhile, on the embedded store
 * and on the Mongo-wire server.
 */
import DbService from "moleculer-db";
import MongoAdapter from "moleculer-db-adapter-mongo";
import type { DbAdapter } from "moleculer-db";
import { withIdLast } from "../../mixins/nedb-id-last";
import { withNativePromises } from "../../mixins/nedb-promises";
import { outboxOf, removePublished, withEvent } from "../../mixins/durable-events.mixin";
import type { EventEnvelope } from "../../lib/events/envelope";
import { dropDatabase, mongoUri, uniqueName } from "../support/test-env";

const quiet = { info: () => undefined, warn: () => undefined };

function event(eventId: string): EventEnvelope {
  return { eventId, type: "space.updated", occurredAt: new Date().toISOString(), data: {} };
}

/** The adapter, with its updateMany calls counted. */
function counted(adapter: DbAdapter): { adapter: DbAdapter; writes: () => number } {
  let writes = 0;
  const updateMany = adapter.updateMany.bind(adapter);
  adapter.updateMany = ((query: never, update: never) => {
    writes++;
    return updateMany(query, update);
  }) as DbAdapter["updateMany"];
  return { adapter, writes: () => writes };
}

describe.each([
  ["embedded store", () => null],
  ["Mongo-wire server", () => mongoUri(uniqueName("outbox_removal").replace(/-/g, "_"))],
])("removing published events from an outbox (%s)", (_label, database) => {
  let uri: string | null;
  let store: DbAdapter;

  beforeAll(async () => {
    uri = database();
    store = uri
      ? (new MongoAdapter(uri, { useUnifiedTopology: true }) as unknown as DbAdapter)
      : withIdLast(withNativePromises(new DbService.MemoryAdapter() as unknown as DbAdapter));
    store.init({} as never, { schema: { collection: "records" }, logger: quiet } as never);
    await (store as unknown as { connect(): Promise<void> }).connect();
  });

  afterAll(async () => {
    await (store as unknown as { disconnect(): Promise<void> }).disconnect();
    if (uri) await dropDatabase(uri);
  });

  it("empties an outbox holding exactly the published events in one write", async () => {
    await store.insert({ _id: "one", name: "a", ...outboxOf(event("e1")) });
    await store.updateMany({ _id: "one" }, withEvent({ $set: { name: "b" } }, event("e2")));
    const { adapter, writes } = counted(store);
    await removePublished(adapter, "one", ["e1", "e2"]);
    expect(writes()).toBe(1);
    const record = await store.findOne({ _id: "one" });
    expect(record).toMatchObject({ name: "b" });
    expect(record).not.toHaveProperty("outbox");
    expect(record).not.toHaveProperty("outboxIds");
    expect(record).not.toHaveProperty("outboxSince");
    expect(record).not.toHaveProperty("outboxPending");
  });

  it("keeps an event staged by another change meanwhile, for its change or the relay", async () => {
    await store.insert({ _id: "two", ...outboxOf(event("e1")) });
    // Another change stages e2 after e1 was published, before e1 is removed.
    await store.updateMany({ _id: "two" }, withEvent({ $set: { name: "c" } }, event("e2")));
    await removePublished(store, "two", ["e1"]);
    const record = (await store.findOne({ _id: "two" })) as Record<string, unknown>;
    expect(record.outboxIds).toEqual(["e2"]);
    expect(Object.keys(record.outbox as object)).toEqual(["e2"]);
    expect(record.outboxSince).toEqual(expect.any(String));
    expect(record.outboxPending).toBe(true);
    await removePublished(store, "two", ["e2"]);
    expect(await store.findOne({ _id: "two" })).not.toHaveProperty("outboxIds");
    expect(await store.findOne({ _id: "two" })).not.toHaveProperty("outboxPending");
  });

  it("writes nothing when nothing was published", async () => {
    await store.insert({ _id: "three", ...outboxOf(event("e1")) });
    const { adapter, writes } = counted(store);
    await removePublished(adapter, "three", []);
    expect(writes()).toBe(0);
    expect(await store.findOne({ _id: "three" })).toMatchObject({ outboxIds: ["e1"] });
  });
});
