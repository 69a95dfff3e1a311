/**
 * "My reservations" of a person with a history, on FerretDB 1.24 / PostgreSQL: one page of their
 * upcoming reservations as `reservations.list` asks for it (`listQuery`, `findPage`), asked by
 * owner (as before the open keys, and as an instance does until its start-up pass is done) and
 * by open key (services/reservations/open-keys.ts), side by side in one run, for histories of
 * growing length. The main benchmark cannot show this: it seeds through the services' actions,
 * which book nothing in the past, so its people have no history. The documents are shaped as
 * reservations stores them, past ones closed as the closing pass leaves them.
 *
 *   npx tsc -p bench/tsconfig.json && node dist/bench/history-reads.js [--upcoming 50] [--rounds 30]
 */
import { DateTime } from "luxon";
import { findPage } from "../lib/paging";
import { openKeysOf } from "../services/reservations/open-keys";
import { listQuery } from "../services/reservations/queries";
import { adapterOf, alternate, option, runProbe } from "./probe";
import { addPushdownIndexes } from "./processes";

const UPCOMING = Number(option("upcoming", "50"));
const ROUNDS = Number(option("rounds", "30"));
/** Past reservations of the person measured, added between rounds: 0 to about 4 years daily. */
const HISTORIES = [0, 250, 1000, 4000];
const OWNER = "user-measured";
const SPACES = 50;
const now = DateTime.utc().startOf("hour");

/** A reservation as the services store it, `hoursFromNow` from now, an hour long. */
function reservation(id: string, ownerId: string, hoursFromNow: number) {
  const start = now.plus({ hours: hoursFromNow });
  const end = start.plus({ hours: 1 });
  const spaceId = `space-${Math.abs(hoursFromNow) % SPACES}`;
  const days = [start.toISODate()!];
  return {
    _id: id,
    spaceId,
    ownerId,
    title: "",
    start: start.toISO()!,
    end: end.toISO()!,
    days,
    spaceMonths: [`${spaceId}|${start.toFormat("yyyy-MM")}`],
    status: hoursFromNow % 7 === 0 ? "cancelled" : "confirmed",
    version: 0,
    createdAt: now.toISO()!,
    updatedAt: now.toISO()!,
    ...(hoursFromNow > 0 ? openKeysOf(ownerId, spaceId) : { closed: true }),
  };
}

runProbe("history_reads", async (client, ferret) => {
  const reservations = client.db().collection("reservations");
  // As services/reservations/stores.ts declares them on MongoDB, then the operator's GIN indexes.
  await reservations.createIndex({ ownerId: 1, start: 1 });
  await reservations.createIndex({ openOwner: 1 }, { sparse: true });
  await reservations.createIndex({ openSpace: 1 }, { sparse: true });
  // Other people's reservations around the person's, so an index has something to skip.
  await reservations.insertMany(
    Array.from({ length: 2000 }, (_, i) => reservation(`other-${i}`, `user-${i % 40}`, i - 1000)),
  );
  await reservations.insertMany(
    Array.from({ length: UPCOMING }, (_, i) => reservation(`up-${i}`, OWNER, 24 * (i + 1) + 2)),
  );
  addPushdownIndexes(ferret.postgresUrl!, "history_reads");
  const adapter = adapterOf(reservations);
  const user = { id: OWNER, role: "member" as const, locale: "en" as const };
  const filters = { from: now.toISO()! };
  const page = (stored: boolean) =>
    findPage(
      adapter,
      {
        query: listQuery(filters, user, { stored, now }),
        sort: ["start"],
        page: 1,
        pageSize: 100,
      },
      r => r,
    );
  console.log(
    `FerretDB 1.24 / PostgreSQL; ${UPCOMING} upcoming reservations of the person, ${ROUNDS} rounds each\n`,
  );
  console.log(
    "| past reservations of the person | by owner, ms per page | by open key, ms per page | ratio |\n| ---: | ---: | ---: | ---: |",
  );
  let past = 0;
  for (const history of HISTORIES) {
    if (history > past) {
      await reservations.insertMany(
        Array.from({ length: history - past }, (_, i) =>
          reservation(`past-${past + i}`, OWNER, -24 * (past + i + 1) - 3),
        ),
      );
      past = history;
    }
    const ms = await alternate(
      ROUNDS,
      { owner: () => page(false), open: () => page(true) },
      result => {
        if (result.total !== UPCOMING) throw new Error(`listed ${result.total}, not ${UPCOMING}`);
      },
    );
    console.log(
      `| ${history} | ${ms.owner.toFixed(1)} | ${ms.open.toFixed(1)} | ${(ms.owner / ms.open).toFixed(1)}× |`,
    );
  }
});
