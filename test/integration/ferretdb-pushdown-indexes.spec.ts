/**
 * deploy/ferretdb/pushdown-indexes.sql on a MindSpaces store on FerretDB with the PostgreSQL
 * handler: it indexes the fields the services' queries ask for by equality, in a form PostgreSQL
 * can use for the filters FerretDB hands it, it may run again, and the services work on as before.
 */
import path from "node:path";
import { startFerretDb } from "../support/ferretdb";
import { psqlOn, tableOf } from "../support/ferretdb-sql";
import { startSingleNode } from "../support/local-system";
import { TEST_ADMIN, testConfig } from "../support/test-env";

const SCRIPT = path.resolve(__dirname, "../../deploy/ferretdb/pushdown-indexes.sql");
const SCHEMA = "ms_pushdown";

jest.setTimeout(120_000);

describe("FerretDB pushdown indexes on PostgreSQL", () => {
  let ferret: Awaited<ReturnType<typeof startFerretDb>>;
  let system: Awaited<ReturnType<typeof startSingleNode>>;
  let pgUrl: string;

  const psql = (...args: string[]) => psqlOn(pgUrl)(...args);
  const sql = (query: string) => psql("-c", query);
  const runScript = (schema = SCHEMA) => psql("-v", `schema=${schema}`, "-f", SCRIPT);
  const ginFields = (collection: string) =>
    sql(
      `SELECT indexdef FROM pg_indexes WHERE schemaname = '${SCHEMA}' AND tablename = '${tableOf(psql, SCHEMA, collection)}' AND indexdef LIKE '%USING gin%'`,
    )
      .split("\n")
      .filter(Boolean)
      .map(def => /_jsonb -> '([^']+)'/.exec(def)?.[1])
      .sort();

  beforeAll(async () => {
    // PostgreSQL is on every machine that runs these tests (the README, .ci/run).
    ferret = await startFerretDb({ backend: "postgresql" });
    pgUrl = ferret.postgresUrl!;
    system = await startSingleNode(testConfig({ mongoUri: `${ferret.url}/${SCHEMA}` }));
  });

  afterAll(async () => {
    await system?.stop();
    await ferret?.stop();
  });

  it("indexes the first field of every declared index, and _id", async () => {
    runScript();
    expect(ginFields("reservations")).toEqual(
      [
        "_id",
        "cancelledBy",
        "days",
        "idempotencyKey",
        "openOwner",
        "openSpace",
        "outboxPending",
        "outboxSince",
        "ownerId",
        "siteDays",
        "spaceId",
        "spaceMonths",
        "status",
      ].sort(),
    );
    expect(ginFields("claims")).toEqual(["_id", "key", "op", "reservationId"].sort());
    expect(ginFields("spaces")).toContain("siteKey");
    // The outbox relay's equality, every 15 seconds, on every collection with an outbox.
    for (const collection of ["users", "spaces"]) {
      expect(ginFields(collection)).toContain("outboxPending");
    }
  });

  it("PostgreSQL serves FerretDB's filter from them", () => {
    const table = tableOf(psql, SCHEMA, "reservations");
    // What FerretDB sends for `{ spaceId: x }` (and `{ days: d }` on an array field); with the
    // planner told not to scan, a plan without the index would still be a sequential scan.
    for (const [field, value] of [
      ["spaceId", '"some-space"'],
      ["days", '"2026-12-01"'],
    ]) {
      const plan = psql(
        "-c",
        "SET enable_seqscan = off",
        "-c",
        `EXPLAIN SELECT _jsonb FROM ${SCHEMA}.${table} WHERE _jsonb -> '${field}' @> '${value}'`,
      );
      expect(plan).toMatch(new RegExp(`Bitmap Index Scan on ${table.slice(0, 40)}_eq_`));
    }
  });

  it("may run again: it adds nothing twice", () => {
    const count = () =>
      sql(
        `SELECT count(*) FROM pg_indexes WHERE schemaname = '${SCHEMA}' AND indexdef LIKE '%USING gin%'`,
      );
    const before = count();
    runScript();
    expect(count()).toBe(before);
  });

  it("says so when the database has no such FerretDB database", () => {
    expect(() => runScript("no_such_database")).toThrow(/no FerretDB database "no_such_database"/);
  });

  it("the services read and write through the indexed tables as before", async () => {
    const login = await fetch(`${system.baseUrl}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(TEST_ADMIN),
    });
    const { token } = (await login.json()) as { token: string };
    const auth = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    const space = (await (
      await fetch(`${system.baseUrl}/api/spaces`, {
        method: "POST",
        headers: auth,
        body: JSON.stringify({
          name: "Indexed room",
          kind: "meeting-room",
          capacity: 4,
          location: { site: "Pushdown", building: "A", floor: "1" },
        }),
      })
    ).json()) as { id: string };
    const start = new Date(Date.now() + 3 * 86_400_000);
    start.setUTCHours(9, 0, 0, 0);
    const end = new Date(start.getTime() + 3_600_000);
    const book = () =>
      fetch(`${system.baseUrl}/api/reservations`, {
        method: "POST",
        headers: auth,
        body: JSON.stringify({
          spaceId: space.id,
          start: start.toISOString(),
          end: end.toISOString(),
        }),
      });
    expect((await book()).status).toBe(201);
    const twice = await book();
    expect(twice.status).toBe(409);
    const day = start.toISOString().slice(0, 10);
    const availability = (await (
      await fetch(
        `${system.baseUrl}/api/spaces/${space.id}/availability?from=${day}&to=${day}T23:59`,
        { headers: auth },
      )
    ).json()) as { busy: unknown[] };
    expect(availability.busy).toHaveLength(1);
  });
});
