/**
 * The data generator: spaces over several sites, users, and reservations, made THROUGH THE
 * SERVICES' OWN ACTIONS (users.register, users.login, spaces.create, reservations.create) on any
 * broker that reaches them: the embedded process itself, or a node that joins a cluster over NATS.
 * Every rule the services enforce (validation, booking rules, slot claims, events, read models of
 * notifications and reports) runs for every record, so the data is what real use would leave.
 *
 * It grows a data set step by step: give it the state a previous call returned and a larger size,
 * and it adds the spaces, users and reservations that are missing (the growth measurement seeds
 * 1/1000, then 1/100, 1/10 and the full size this way). It is bounded in time: past `timeLimitMs`
 * it stops and says how far it got.
 *
 * As a command, against a running cluster (demos, manual tests):
 *   node dist/bench/seed.js --transporter nats://127.0.0.1:4222 --namespace mindspaces \
 *     --admin-email admin@example.org --admin-password '…' --spaces 100 --reservations 1000
 */
import { ServiceBroker } from "moleculer";
import { perSpace, seededSlot, spaceAttributes, weekdays, type DataSize } from "./layout";

export type Call = <T = unknown>(action: string, params: object, meta?: object) => Promise<T>;

export interface AuthUser {
  id: string;
  role: string;
  locale: string;
}

export interface Session {
  token: string;
  user: AuthUser;
}

export interface SeedState {
  admin: Session;
  users: Session[];
  spaceIds: string[];
  days: string[];
  reservations: number;
}

export interface SeedStats {
  size: DataSize;
  seconds: number;
  spacesAdded: number;
  usersAdded: number;
  reservationsAdded: number;
  reservationsPerSecond: number;
  errors: number;
  firstError?: string;
  /** False when the time limit stopped it before the size was reached. */
  complete: boolean;
}

export interface SeedOptions {
  adminEmail: string;
  adminPassword: string;
  concurrency?: number;
  timeLimitMs?: number;
  log?: (line: string) => void;
  /**
   * How many reservations the event consumers (notifications, reports) have taken in so far.
   * When given, the seeder keeps at most `maxBacklog` creates ahead of them: the embedded
   * store's in-process events drop what overflows a handler's bulkhead queue (found by this
   * benchmark), so an unpaced seeder would leave read models that miss reservations.
   */
  consumed?: () => Promise<number>;
  maxBacklog?: number;
}

export const USER_PASSWORD = "Bench-tulip-2026!x";

/** Runs `work(i)` for i in [from, to) with at most `concurrency` at once; stops at `deadline`. */
async function pool(
  from: number,
  to: number,
  concurrency: number,
  deadline: number,
  work: (i: number) => Promise<void>,
): Promise<boolean> {
  let next = from;
  let stopped = false;
  const worker = async () => {
    while (next < to) {
      if (Date.now() > deadline) {
        stopped = true;
        return;
      }
      await work(next++);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  return !stopped;
}

export async function seed(
  call: Call,
  size: DataSize,
  options: SeedOptions,
  previous?: SeedState,
): Promise<{ state: SeedState; stats: SeedStats }> {
  const log = options.log ?? (() => undefined);
  const concurrency = options.concurrency ?? 8;
  const started = Date.now();
  const deadline = started + (options.timeLimitMs ?? 60 * 60_000);
  let errors = 0;
  let firstError: string | undefined;
  const failed = (err: unknown) => {
    errors++;
    firstError ??= err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    if (errors > 50 && errors > 0.05 * (reservationsAdded + 1))
      throw new Error(`Seeding fails too often (${errors}); first: ${firstError}`);
  };

  const admin =
    previous?.admin ??
    (await call<Session>("users.login", {
      email: options.adminEmail,
      password: options.adminPassword,
    }));
  const adminMeta = { user: admin.user };
  // Spaces are bookable over the whole spread (horizon) and on weekdays 08:00–18:00 (default).
  const days = previous?.days ?? weekdays(size.days);
  const state: SeedState = previous
    ? { ...previous, users: [...previous.users], spaceIds: [...previous.spaceIds] }
    : { admin, users: [], spaceIds: [], days, reservations: 0 };

  // Users: argon2 hashing makes these slow; few at once.
  const usersBefore = state.users.length;
  let complete = await pool(usersBefore, size.users, 2, deadline, async u => {
    const session = await call<Session>("users.register", {
      email: `bench-${String(u).padStart(6, "0")}@bench.mindspaces.test`,
      password: USER_PASSWORD,
      name: `Bench User ${u}`,
      locale: "nl",
    });
    state.users[u] = session;
  });
  state.users = state.users.filter(Boolean);
  log(`users: ${state.users.length} (${((Date.now() - started) / 1000).toFixed(1)} s)`);

  const spacesBefore = state.spaceIds.length;
  const horizonDays = size.days + 14;
  complete =
    complete &&
    (await pool(spacesBefore, size.spaces, concurrency, deadline, async i => {
      const space = await call<{ id: string }>(
        "spaces.create",
        {
          ...spaceAttributes(i),
          rules: { minMinutes: 15, maxMinutes: 480, horizonDays, slotMinutes: 15 },
        },
        adminMeta,
      );
      state.spaceIds[i] = space.id;
    }));
  log(`spaces: ${state.spaceIds.length} (${((Date.now() - started) / 1000).toFixed(1)} s)`);

  // Reservations of the spaces added now (a growth step keeps reservations per space constant).
  const jobs: { i: number; j: number; count: number }[] = [];
  for (let i = spacesBefore; i < state.spaceIds.length; i++) {
    const count = perSpace(size, i);
    for (let j = 0; j < count; j++) jobs.push({ i, j, count });
  }
  // Interleave spaces, as real bookings come: not all of one space, then the next.
  jobs.sort((a, b) => a.j - b.j || a.i - b.i);
  let reservationsAdded = 0;
  let lastLog = Date.now();
  const maxBacklog = options.maxBacklog ?? 150;
  let consumed = 0;
  const waitForConsumers = async () => {
    if (!options.consumed) return;
    while (
      state.reservations + reservationsAdded - consumed > maxBacklog &&
      Date.now() < deadline
    ) {
      // A stale count only makes the seeder wait longer, never overrun; counting costs CPU.
      await new Promise(resolve => setTimeout(resolve, 250));
      consumed = await options.consumed();
    }
  };
  const resStarted = Date.now();
  complete =
    complete &&
    (await pool(0, jobs.length, concurrency, deadline, async k => {
      const { i, j, count } = jobs[k];
      const slot = seededSlot(days, count, i, j);
      const owner = state.users[(i * 31 + j) % state.users.length];
      await waitForConsumers();
      try {
        await call(
          "reservations.create",
          { spaceId: state.spaceIds[i], start: slot.start, end: slot.end, title: `Seed ${i}/${j}` },
          { user: owner.user },
        );
        reservationsAdded++;
      } catch (err) {
        failed(err);
      }
      if (Date.now() - lastLog > 10_000) {
        lastLog = Date.now();
        const secs = (Date.now() - resStarted) / 1000;
        log(
          `reservations: ${reservationsAdded}/${jobs.length} (${(reservationsAdded / secs).toFixed(0)}/s, ${errors} errors)`,
        );
      }
    }));
  state.reservations += reservationsAdded;
  const resSeconds = (Date.now() - resStarted) / 1000;
  const stats: SeedStats = {
    size,
    seconds: (Date.now() - started) / 1000,
    spacesAdded: state.spaceIds.length - spacesBefore,
    usersAdded: state.users.length - usersBefore,
    reservationsAdded,
    reservationsPerSecond: reservationsAdded / Math.max(resSeconds, 0.001),
    errors,
    firstError,
    complete,
  };
  log(
    `seeded ${stats.spacesAdded} spaces, ${stats.usersAdded} users, ${reservationsAdded} reservations in ${stats.seconds.toFixed(1)} s` +
      ` (${stats.reservationsPerSecond.toFixed(0)} reservations/s)${complete ? "" : " — STOPPED by the time limit"}`,
  );
  return { state, stats };
}

/** A `Call` on a broker: the actions as a service-to-service caller reaches them. */
export function brokerCall(broker: ServiceBroker): Call {
  return (action, params, meta) =>
    broker.call(action, params, { meta: meta ?? {}, timeout: 60_000 }) as never;
}

function arg(name: string, fallback?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0 && process.argv[i + 1] !== undefined) return process.argv[i + 1];
  if (fallback === undefined) throw new Error(`--${name} is required`);
  return fallback;
}

async function main() {
  const broker = new ServiceBroker({
    namespace: arg("namespace", ""),
    nodeID: `seed-${process.pid}`,
    transporter: arg("transporter") as never,
    serializer: "JSON",
    logger: false,
    requestTimeout: 60_000,
  });
  await broker.start();
  try {
    await broker.waitForServices(["users", "spaces", "reservations"], 60_000);
    const spaces = Number(arg("spaces", "100"));
    const reservations = Number(arg("reservations", "1000"));
    const { stats } = await seed(
      brokerCall(broker),
      {
        spaces,
        reservations,
        users: Number(arg("users", String(Math.max(50, Math.round(reservations / 200))))),
        days: Number(arg("days", "182")),
      },
      {
        adminEmail: arg("admin-email"),
        adminPassword: arg("admin-password"),
        concurrency: Number(arg("concurrency", "16")),
        timeLimitMs: Number(arg("time-limit-minutes", "60")) * 60_000,
        log: line => console.log(line),
      },
    );
    console.log(JSON.stringify(stats, null, 2));
  } finally {
    await broker.stop();
  }
}

if (require.main === module) {
  main().catch(err => {
    console.error(err);
    process.exit(1);
  });
}
