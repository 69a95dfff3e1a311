/**
 * What FerretDB 1.24 on PostgreSQL does with the services' hot queries: for each, whether its
 * filter is pushed down to PostgreSQL (`explain`), PostgreSQL's plan, and how long one find takes
 * from a single client. The documents and indexes are shaped as reservations and claims store
 * them (services/reservations/stores.ts); the queries as the services ask them.
 *
 *   npx tsc -p bench/tsconfig.json && node dist/bench/store-queries.js [--reservations 1000]
 */
import type { Collection } from "mongodb";
import { option, runProbe } from "./probe";
import { addPushdownIndexes } from "./processes";

const RESERVATIONS = Number(option("reservations", "1000"));
const SPACES = 100;
const iso = (ms: number) => new Date(ms).toISOString();

async function seed(reservations: Collection, claims: Collection) {
  await reservations.createIndex({ spaceId: 1, start: 1 });
  await reservations.createIndex({ days: 1 });
  await reservations.createIndex({ ownerId: 1, start: 1 });
  await reservations.createIndex({ status: 1, createdAt: 1 });
  await reservations.createIndex({ outboxSince: 1 }, { sparse: true });
  await reservations.createIndex({ outboxPending: 1 }, { sparse: true });
  await claims.createIndex({ key: 1 }, { unique: true });
  await claims.createIndex({ reservationId: 1 });
  const docs = [];
  const cells = [];
  for (let i = 0; i < RESERVATIONS; i++) {
    // One hour on a distinct cell: 08:00–16:00 over the weekdays ahead, as bench/layout.ts does.
    const start = Date.UTC(
      2027,
      0,
      1 + Math.floor(i / (SPACES * 8)),
      8 + (Math.floor(i / SPACES) % 8),
    );
    const spaceId = `space-${i % SPACES}`;
    docs.push({
      _id: `reservation-${i}`,
      spaceId,
      ownerId: `user-${i % 50}`,
      title: "",
      start: iso(start),
      end: iso(start + 3_600_000),
      days: [iso(start).slice(0, 10)],
      status: "confirmed",
      version: 0,
      createdAt: iso(start),
      updatedAt: iso(start),
    });
    for (let c = 0; c < 4; c++) {
      const cell = iso(start + c * 900_000);
      cells.push({ key: `${spaceId}|${cell}`, spaceId, reservationId: `reservation-${i}` });
    }
  }
  await reservations.insertMany(docs);
  await claims.insertMany(cells);
}

runProbe("store_queries", async (client, ferret) => {
  const db = client.db();
  const reservations = db.collection("reservations");
  const claims = db.collection("claims");
  await seed(reservations, claims);
  const day = "2027-01-04";
  const hour = { start: `${day}T10:00:00.000Z`, end: `${day}T11:00:00.000Z` };
  const weekBefore = "2026-12-28T10:00:00.000Z";
  const fifty = Array.from({ length: 50 }, (_, i) => `space-${i}`);
  const cells = ["space-1|2027-01-04T09:00:00.000Z", "space-1|2027-01-04T09:15:00.000Z"];
  const queries: [string, Collection, object, object?][] = [
    [
      "availability, one space, one week",
      reservations,
      {
        spaceId: "space-1",
        start: { $gte: weekBefore, $lt: "2027-01-11T10:00:00.000Z" },
        end: { $gt: hour.start },
      },
      { start: 1 },
    ],
    [
      "free during, 50 spaces, before (spaceId $in)",
      reservations,
      {
        spaceId: { $in: fifty },
        start: { $gte: weekBefore, $lt: hour.end },
        end: { $gt: hour.start },
      },
      { start: 1 },
    ],
    [
      "free during, 50 spaces, with days",
      reservations,
      {
        days: day,
        spaceId: { $in: fifty },
        start: { $gte: weekBefore, $lt: hour.end },
        end: { $gt: hour.start },
      },
      { start: 1 },
    ],
    [
      "my reservations",
      reservations,
      {
        status: { $in: ["confirmed", "cancelled"] },
        ownerId: "user-1",
        end: { $gt: hour.start },
      },
      { start: 1 },
    ],
    ["one reservation by _id", reservations, { _id: "reservation-5", status: "pending" }],
    ["idempotency key", reservations, { idempotencyKey: "user-1|key" }],
    ["conflict holders, before (key $in)", claims, { key: { $in: cells } }],
    ["conflict holders, with spaceId", claims, { spaceId: "space-1", key: { $in: cells } }],
    ["claims of a reservation", claims, { reservationId: "reservation-5" }],
    [
      "outbox relay, before (outboxSince range)",
      reservations,
      { outboxSince: { $lte: hour.start } },
    ],
    [
      "outbox relay, with outboxPending",
      reservations,
      { outboxPending: true, outboxSince: { $lte: hour.start } },
    ],
    ["pending sweep", reservations, { status: "pending", createdAt: { $lt: hour.start } }],
    [
      "reports window (no equality)",
      reservations,
      {
        start: { $gte: weekBefore, $lt: "2027-02-01T00:00:00.000Z" },
        end: { $gt: "2027-01-01T00:00:00.000Z" },
      },
    ],
  ];
  console.log(
    `FerretDB 1.24 / PostgreSQL, ${RESERVATIONS} reservations, ${RESERVATIONS * 4} claims`,
  );
  const measure = async () => {
    const rows: { pushdown: string; plan: string; ms: number }[] = [];
    for (const [, collection, filter, sort] of queries) {
      const explained = await db.command({
        explain: { find: collection.collectionName, filter, ...(sort ? { sort } : {}) },
      });
      const plan = explained.queryPlanner?.Plan as
        { "Node Type"?: string; Filter?: string; "Recheck Cond"?: string } | undefined;
      const rounds = 20;
      const started = process.hrtime.bigint();
      for (let i = 0; i < rounds; i++)
        await collection.find(filter, sort ? { sort } : {}).toArray();
      const ms = Number(process.hrtime.bigint() - started) / 1e6 / rounds;
      const where = plan?.Filter ?? plan?.["Recheck Cond"];
      rows.push({
        pushdown: String(explained.filterPushdown),
        plan: `${plan?.["Node Type"]}${where ? ` where ${where.replace(/\|/g, "/")}` : ""}`,
        ms,
      });
    }
    return rows;
  };
  // Side by side in one run: FerretDB's own indexes, then with deploy/ferretdb/pushdown-indexes.sql.
  const before = await measure();
  addPushdownIndexes(ferret.postgresUrl!, "store_queries");
  const after = await measure();
  console.log(
    "| query | filter pushed down | PostgreSQL plan with the pushdown indexes | ms per find, FerretDB's indexes | ms per find, with pushdown indexes |\n| --- | --- | --- | ---: | ---: |",
  );
  queries.forEach(([name], i) =>
    console.log(
      `| ${name} | ${after[i].pushdown} | ${after[i].plan} | ${before[i].ms.toFixed(1)} | ${after[i].ms.toFixed(1)} |`,
    ),
  );
});
