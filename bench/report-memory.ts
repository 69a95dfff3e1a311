/**
 * The memory one utilisation report takes on FerretDB 1.24 / PostgreSQL, for a month and for a
 * year over 2,000 spaces: as it was before the facts streamed (every fact of the window read
 * into an array by moleculer-db's `find`, then summed) and as `reports` does now
 * (services/reports/fact-months.ts, `forEachFactIn`: summed as they pass, a cursor batch at a
 * time), side by side in one run. The facts are shaped as `recordReservation` stores them; the
 * pace is the main benchmark's at its full size (100,000 reservations over 182 days, about
 * 550 a day).
 *
 *   npx tsc -p bench/tsconfig.json && node --expose-gc dist/bench/report-memory.js [--rounds 3] [--windows month,year]
 */
import { DateTime } from "luxon";
import { findEach } from "../lib/store";
import { factKeys, factQueries, forEachFactIn } from "../services/reports/fact-months";
import { tallyBooked, type ReservationFact } from "../services/reports/utilization";
import { adapterOf, option, runProbe } from "./probe";
import { addPushdownIndexes, analyzeTables } from "./processes";

const ROUNDS = Number(option("rounds", "3"));
/** The windows reported: `month`, `year` or both. */
const WINDOWS = option("windows", "month,year").split(",");
const SPACES = 2_000;
const PER_DAY = 550;
const DAYS = 366;
const start = DateTime.fromISO("2031-01-01T00:00:00Z");
const reads = { store: "mongo" as const, monthsStored: true };

/** The `i`th fact: an hour on day `i / PER_DAY`, between 07:00 and 17:00 UTC; one in 10 cancelled. */
function fact(i: number) {
  const from = start.plus({ days: Math.floor(i / PER_DAY), hours: 7 + (i % 10) });
  const begins = from.toISO()!;
  const ends = from.plus({ hours: 1 }).toISO()!;
  return {
    _id: `reservation-${i}`,
    spaceId: `space-${i % SPACES}`,
    start: begins,
    end: ends,
    ...factKeys(begins, ends),
    status: i % 10 === 0 ? "cancelled" : "confirmed",
    updatedAt: begins,
  };
}

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc");

/** What `run` took: milliseconds, and the most heap it used above where it started. */
async function measure(run: () => Promise<number>): Promise<{ ms: number; mb: number; n: number }> {
  gc!();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 2);
  const began = process.hrtime.bigint();
  const n = await run();
  const ms = Number(process.hrtime.bigint() - began) / 1e6;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  return { ms, mb: (peak - base) / 2 ** 20, n };
}

runProbe("report_memory", async (client, ferret) => {
  const collection = client.db().collection("reports_reservations");
  // As reports.service.ts declares them on MongoDB, then the operator's GIN indexes.
  await collection.createIndex({ start: 1 });
  await collection.createIndex({ months: 1 });
  await collection.createIndex({ days: 1 });
  addPushdownIndexes(ferret.postgresUrl!, "report_memory");
  // Without the year, two months: a month's report reads its month by its key, whatever else is stored.
  const total = PER_DAY * (WINDOWS.includes("year") ? DAYS : 62);
  for (let from = 0; from < total; from += 5_000) {
    const to = Math.min(total, from + 5_000);
    await collection.insertMany(Array.from({ length: to - from }, (_, k) => fact(from + k)));
  }
  analyzeTables(ferret.postgresUrl!, "report_memory");
  // The old read through the adapter's `find` (an array of every match); the new one through
  // the collection's cursor, as the MongoDB adapter has it.
  const adapter = Object.assign(adapterOf(collection), { collection });

  console.log(
    `FerretDB 1.24 / PostgreSQL; ${total.toLocaleString("en")} facts over ${total / PER_DAY} days, ${SPACES} spaces; ` +
      `a report alone, ${ROUNDS} rounds each after one to warm up; heap: most used above the start\n`,
  );
  console.log(
    "| window | facts | before: ms | before: heap MB | now: ms | now: heap MB |\n| --- | ---: | ---: | ---: | ---: | ---: |",
  );
  const windows = (
    [
      ["month", "a month", start.plus({ months: 1 })],
      ["year", "a year", start.plus({ days: DAYS })],
    ] as const
  ).filter(([key]) => WINDOWS.includes(key));
  for (const [, label, end] of windows) {
    const before = () => {
      // What the report did up to this change: every fact of the window in memory, then summed.
      return findEach<ReservationFact>(adapter, factQueries(reads, start, end)).then(all => {
        const booked = tallyBooked(start, end);
        for (const one of all) booked.add(one);
        return all.length;
      });
    };
    const now = async () => {
      const booked = tallyBooked(start, end);
      let n = 0;
      await forEachFactIn(adapter, reads, start, end, one => {
        booked.add(one);
        n++;
      });
      return n;
    };
    const sum = { before: { ms: 0, mb: 0, n: 0 }, now: { ms: 0, mb: 0, n: 0 } };
    for (let round = 0; round < ROUNDS + 1; round++) {
      for (const [name, way] of [
        ["before", before],
        ["now", now],
      ] as const) {
        const took = await measure(way);
        if (round === 0) continue;
        sum[name].ms += took.ms / ROUNDS;
        sum[name].mb = Math.max(sum[name].mb, took.mb);
        sum[name].n = took.n;
      }
    }
    if (sum.before.n !== sum.now.n) {
      throw new Error(`the ways read ${sum.before.n} and ${sum.now.n} facts`);
    }
    console.log(
      `| ${label} | ${sum.now.n.toLocaleString("en")} | ${sum.before.ms.toFixed(0)} | ${sum.before.mb.toFixed(1)} | ${sum.now.ms.toFixed(0)} | ${sum.now.mb.toFixed(1)} |`,
    );
  }
});
