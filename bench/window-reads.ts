/**
 * The embedded store's window reads in one process, without HTTP, NATS or the services: how many
 * documents NeDB's chosen index hands over (`_getRawCandidates`) and how long a query takes, for
 * the query shapes of services/reservations/window-query.ts, on data laid out as the benchmark
 * seeds it (bench/layout.ts). Made to compare the shapes on a shared machine, where a full run's
 * figures move with other people's load.
 *
 *   node dist/bench/window-reads.js [SPACESxRESERVATIONS, default 2000x100000] [--rounds N]
 */
import Datastore from "@seald-io/nedb";
import { DateTime } from "luxon";
import { toStored } from "../lib/time";
import { utcDaysOf } from "../lib/utc-days";
import { spaceDaysOf } from "../lib/space-days";
import { windowQuery, type WindowReads } from "../services/reservations/window-query";
import { perSpace, SPACES_PER_SITE, seededSlot, weekdays, ZONE } from "./layout";

type Doc = Record<string, unknown>;
interface Internals {
  _getRawCandidates(query: Doc): Doc[];
}

const [spaces, reservations] = (
  process.argv[2] && !process.argv[2].startsWith("--") ? process.argv[2] : "2000x100000"
)
  .split("x")
  .map(Number);
const roundsAt = process.argv.indexOf("--rounds");
const ROUNDS = roundsAt > 0 ? Number(process.argv[roundsAt + 1]) : 2000;

async function main() {
  const size = { spaces, reservations, users: 50, days: 182 };
  const days = weekdays(size.days);
  const spaceIds = Array.from({ length: spaces }, (_, i) => `space-${String(i).padStart(5, "0")}`);
  const docs: Doc[] = [];
  for (let i = 0; i < spaces; i++) {
    const count = perSpace(size, i);
    for (let j = 0; j < count; j++) {
      const slot = seededSlot(days, count, i, j);
      const start = toStored(DateTime.fromISO(slot.start, { zone: ZONE }));
      const end = toStored(DateTime.fromISO(slot.end, { zone: ZONE }));
      docs.push({
        _id: `r-${i}-${j}`,
        spaceId: spaceIds[i],
        ownerId: `user-${(i + j) % 50}`,
        start,
        end,
        days: utcDaysOf(start, end),
        spaceDays: spaceDaysOf(spaceIds[i], start, end),
        status: "confirmed",
        createdAt: start,
      });
    }
  }
  // The indexes of services/reservations/stores.ts as each version made them on NeDB.
  const store = new Datastore();
  for (const fieldName of ["spaceId", "ownerId", "createdAt", "days"]) {
    await store.ensureIndexAsync({ fieldName });
  }
  await store.ensureIndexAsync({ fieldName: "spaceDays", sparse: true });
  await store.insertAsync(docs);
  console.log(`${docs.length} reservations of ${spaces} spaces over ${days.length} weekdays`);

  const internals = store as unknown as Internals;
  const sites = Math.ceil(spaces / SPACES_PER_SITE);
  const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)];
  const mondays = days.filter(d => DateTime.fromISO(d, { zone: ZONE }).weekday === 1);
  const asks = {
    // "Free during" 10:00–11:00 of a day for one site's spaces (the find workload).
    find: () => {
      const site = Math.floor(Math.random() * sites);
      const ids = spaceIds.slice(site * SPACES_PER_SITE, (site + 1) * SPACES_PER_SITE);
      const day = pick(days);
      const from = DateTime.fromISO(`${day}T10:00`, { zone: ZONE });
      return { ids, from, to: from.plus({ hours: 1 }) };
    },
    // One space, Monday to Monday (the availability workload).
    availability: () => {
      const from = DateTime.fromISO(pick(mondays), { zone: ZONE });
      return { ids: [pick(spaceIds)], from, to: from.plus({ days: 7 }) };
    },
  };
  const shapes: [string, WindowReads][] = [
    // Before: "free during" asked `days` when stored, which NeDB then served first.
    ["before (days / spaceId)", { store: "mongo", dayKeysStored: true }],
    ["after (spaceDays)", { store: "embedded", dayKeysStored: true }],
  ];
  for (const [name, ask] of Object.entries(asks)) {
    // The same windows for both shapes.
    const windows = Array.from({ length: ROUNDS }, ask);
    for (const [label, reads] of shapes) {
      const queries = windows.map(({ ids, from, to }) => windowQuery(reads, ids, from, to));
      // What the chosen index hands over, counted apart from the timing.
      const candidates = queries.reduce(
        (sum, query) => sum + internals._getRawCandidates(query).length,
        0,
      );
      let found = 0;
      const started = process.hrtime.bigint();
      for (const query of queries)
        found += (await store.findAsync(query).sort({ start: 1 })).length;
      const micros = Number(process.hrtime.bigint() - started) / 1000 / ROUNDS;
      console.log(
        `${name.padEnd(12)} ${label.padEnd(24)} candidates ${(candidates / ROUNDS).toFixed(1).padStart(7)}` +
          `  found ${(found / ROUNDS).toFixed(1).padStart(5)}  ${micros.toFixed(0).padStart(6)} µs per query`,
      );
    }
  }
}

main().catch(err => {
  console.error(err);
  process.exit(1);
});
