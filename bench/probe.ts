/**
 * What the single-question benchmarks share (history-reads.ts, reminder-ticks.ts,
 * store-queries.ts): their command-line options, a FerretDB on PostgreSQL of their own for the
 * run, removed however the run ends, and two ways of asking timed side by side.
 */
import type { DbAdapter } from "moleculer-db";
import { MongoClient, type Collection } from "mongodb";
import { cleanup, startFerret, type Ferret } from "./processes";

/** The value after `--name` on the command line, or `fallback`. */
export function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

/**
 * Runs `body` with a client of database `database` on a FerretDB 1.24 / PostgreSQL started for
 * this run; removes FerretDB and its PostgreSQL database afterwards, and exits non-zero if it
 * failed.
 */
export function runProbe(
  database: string,
  body: (client: MongoClient, ferret: Ferret) => Promise<void>,
): void {
  const run = async () => {
    const ferret = await startFerret("postgresql", `msbench_${database}_${process.pid}`);
    try {
      const client = await MongoClient.connect(`${ferret.url}/${database}`, {
        useUnifiedTopology: true,
      });
      try {
        await body(client, ferret);
      } finally {
        await client.close();
      }
    } finally {
      await cleanup();
    }
  };
  run().catch(err => {
    console.error(err);
    process.exitCode = 1;
  });
}

/**
 * Milliseconds per call of each of `ways`, asked alternately so that all see the same machine
 * load: `rounds` rounds after two that warm FerretDB's and PostgreSQL's caches. `check` sees
 * every answer, to refuse a run whose ways do not answer alike.
 */
export async function alternate<K extends string, T>(
  rounds: number,
  ways: Record<K, () => Promise<T>>,
  check: (answer: T, way: K) => void = () => undefined,
): Promise<Record<K, number>> {
  const names = Object.keys(ways) as K[];
  const ms = Object.fromEntries(names.map(name => [name, 0])) as Record<K, number>;
  for (let round = 0; round < rounds + 2; round++) {
    for (const name of names) {
      const started = process.hrtime.bigint();
      const answer = await ways[name]();
      const took = Number(process.hrtime.bigint() - started) / 1e6;
      check(answer, name);
      if (round >= 2) ms[name] += took / rounds;
    }
  }
  return ms;
}

/**
 * The adapter calls the services' read code makes (find with sort, limit and offset; count), on
 * a driver collection, so a probe times that code rather than a copy of its queries.
 */
export function adapterOf(collection: Collection): DbAdapter {
  const sortOf = (fields: string[]) =>
    Object.fromEntries(fields.map(f => (f.startsWith("-") ? [f.slice(1), -1] : [f, 1])));
  return {
    find: ({ query, sort, limit, offset }: Record<string, never>) =>
      collection.find(query, { sort: sortOf(sort ?? []), limit, skip: offset }).toArray(),
    count: ({ query }: Record<string, never>) => collection.countDocuments(query),
  } as unknown as DbAdapter;
}
