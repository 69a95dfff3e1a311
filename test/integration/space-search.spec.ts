/**
 * The spaces service searches its in-memory snapshot (services/spaces/space-snapshot.ts): here
 * that search is held to what each store answers for the same query and order, and the
 * catalogue's version is stamped on each store alike.
 */
import DbService from "moleculer-db";
import MongoAdapter from "moleculer-db-adapter-mongo";
import type { DbAdapter } from "moleculer-db";
import { withIdLast } from "../../mixins/nedb-id-last";
import { withNativePromises } from "../../mixins/nedb-promises";
import { snapshotStore, stampVersion } from "../../services/spaces/space-snapshot";
import { dropDatabase, mongoUri, uniqueName } from "../support/test-env";
import { expectSameAnswers, randomCatalogue, randomSearches } from "../support/space-search-cases";

const quiet = { info: () => undefined, warn: () => undefined };

describe.each([
  ["embedded store", () => null],
  ["Mongo-wire server", () => mongoUri(uniqueName("space_search").replace(/-/g, "_"))],
])("the spaces' search and version (%s)", (_label, database) => {
  let uri: string | null;
  const adapters: DbAdapter[] = [];

  async function collection(name: string): Promise<DbAdapter> {
    const store = uri
      ? (new MongoAdapter(uri, { useUnifiedTopology: true }) as unknown as DbAdapter)
      : withIdLast(withNativePromises(new DbService.MemoryAdapter() as unknown as DbAdapter));
    store.init({} as never, { schema: { collection: name }, logger: quiet } as never);
    await store.connect();
    adapters.push(store);
    return store;
  }

  beforeAll(() => {
    uri = database();
  });

  afterAll(async () => {
    for (const store of adapters) await store.disconnect();
    if (uri) await dropDatabase(uri);
  });

  it("finds in memory the spaces the store finds, in SEARCH_ORDER, for random filters and roles", async () => {
    const store = await collection("spaces");
    for (const seed of [1, 2]) {
      const catalogue = randomCatalogue(seed, 80);
      await store.insertMany(catalogue);
      // Most searches find something, so the comparison is not one of empty lists.
      expect(await expectSameAnswers(store, catalogue, randomSearches(seed, 80))).toBeGreaterThan(
        25,
      );
      await store.removeMany({});
    }
  });

  it("stamps a new version for every change, also for two at once into an empty collection", async () => {
    const versions = await collection("spaces_version");
    const read = snapshotStore(await collection("spaces"), versions);
    expect(await read.readStamp()).toBeNull();
    await Promise.all([stampVersion(versions), stampVersion(versions)]);
    const first = await read.readStamp();
    expect(first).toEqual(expect.any(String));
    expect(await versions.count({ query: {} })).toBe(1);
    await stampVersion(versions);
    expect(await read.readStamp()).not.toBe(first);
  });
});
