/**
 * A query naming a record by `_id` is served from `_id` on FerretDB/PostgreSQL
 * (mixins/mongo-id-lookups.ts). The trap it avoids, rebuilt here as a store gets into it: a
 * status that every record passes through ("pending"), rare when statistics were taken, and
 * thousands of dead versions that still had it. PostgreSQL then plans `{ _id, status }` from the
 * status index and reads every one of them; rewritten, it reads the one record by `_id`.
 */
import path from "node:path";
import { MongoClient, type Db } from "mongodb";
import { byIdOnly } from "../../mixins/mongo-id-lookups";
import { startFerretDb } from "../support/ferretdb";
import { psqlOn, tableOf } from "../support/ferretdb-sql";

const SCRIPT = path.resolve(__dirname, "../../deploy/ferretdb/pushdown-indexes.sql");
const SCHEMA = "ms_id_lookups";

jest.setTimeout(120_000);

describe("FerretDB/PostgreSQL: a query naming a record by _id", () => {
  let ferret: Awaited<ReturnType<typeof startFerretDb>>;
  let client: MongoClient;
  let db: Db;
  let statusIndexes: string[];
  let idIndexes: string[];
  let psql: (...args: string[]) => string;

  /** The indexes PostgreSQL's plan for FerretDB's find with `filter` reads. */
  const indexesRead = async (filter: Record<string, unknown>): Promise<string[]> => {
    const explained = await db.command({
      explain: { find: "reservations", filter },
      verbosity: "queryPlanner",
    });
    return [...JSON.stringify(explained.queryPlanner).matchAll(/"Index Name":"([^"]+)"/g)].map(
      match => match[1],
    );
  };

  beforeAll(async () => {
    // PostgreSQL is on every machine that runs these tests (the README, .ci/run).
    ferret = await startFerretDb({ backend: "postgresql" });
    psql = psqlOn(ferret.postgresUrl!);
    client = await MongoClient.connect(`${ferret.url}/${SCHEMA}`, { useUnifiedTopology: true });
    db = client.db(SCHEMA);
    const reservations = db.collection("reservations");
    await reservations.createIndex({ status: 1 });
    await reservations.insertMany(
      Array.from({ length: 200 }, (_, i) => ({ _id: `c${i}`, status: "confirmed" })),
    );
    psql("-v", `schema=${SCHEMA}`, "-f", SCRIPT);
    const table = tableOf(psql, SCHEMA, "reservations");
    // Statistics taken while nothing is pending, as autovacuum takes them between bursts.
    psql("-c", `VACUUM ANALYZE ${SCHEMA}.${table}`);
    // FerretDB's own B-tree and the script's GIN index.
    statusIndexes = psql(
      "-c",
      `SELECT indexname FROM pg_indexes WHERE schemaname = '${SCHEMA}' AND tablename = '${table}' AND indexdef LIKE '%''status''%'`,
    ).split("\n");
    idIndexes = psql(
      "-c",
      `SELECT indexname FROM pg_indexes WHERE schemaname = '${SCHEMA}' AND tablename = '${table}' AND indexdef LIKE '%''_id''%'`,
    ).split("\n");
    // Each created pending, then confirmed: 2,000 dead versions that had "pending".
    await reservations.insertMany(
      Array.from({ length: 2000 }, (_, i) => ({ _id: `p${i}`, status: "pending" })),
    );
    await reservations.updateMany({ status: "pending" }, { $set: { status: "confirmed" } });
  });

  afterAll(async () => {
    await client?.close();
    await ferret?.stop();
  });

  it("as written, PostgreSQL may serve it from the status index: the trap", async () => {
    expect(statusIndexes).toHaveLength(2);
    const read = await indexesRead({ _id: "p5", status: "pending" });
    expect(read.some(index => statusIndexes.includes(index))).toBe(true);
  });

  it("as the Mongo adapter hands it over, it is served from _id alone", async () => {
    const read = await indexesRead(byIdOnly({ _id: "p5", status: "pending" }));
    expect(read.length).toBeGreaterThan(0);
    expect(read.some(index => statusIndexes.includes(index))).toBe(false);
    expect(idIndexes).toEqual(expect.arrayContaining(read));
  });

  it("and finds what it found before", async () => {
    const reservations = db.collection("reservations");
    await reservations.insertOne({ _id: "p-live", status: "pending" });
    expect(
      await reservations.find(byIdOnly({ _id: "p-live", status: "pending" })).toArray(),
    ).toEqual([{ _id: "p-live", status: "pending" }]);
    expect(await reservations.find(byIdOnly({ _id: "p5", status: "pending" })).toArray()).toEqual(
      [],
    );
    // Numbers, booleans, and a value an array field holds, as FerretDB checks them itself.
    await reservations.insertOne({ _id: "n", version: 2, active: true, tags: ["a", "b"] });
    const found = (query: Record<string, unknown>) =>
      reservations.find(byIdOnly({ _id: "n", ...query })).toArray();
    expect(await found({ version: 2, active: true, tags: "a" })).toHaveLength(1);
    expect(await found({ version: 3 })).toHaveLength(0);
    expect(await found({ active: false })).toHaveLength(0);
    expect(await found({ tags: "c" })).toHaveLength(0);
  });
});
