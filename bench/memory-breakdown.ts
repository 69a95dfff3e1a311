/**
 * What the embedded default's memory holds, per collection: seeds the embedded services (the
 * benchmark's generator, through the services' own actions) and then empties one collection
 * at a time, measuring the heap after a full garbage collection before and after each. The
 * difference is what the collection's documents and their NeDB indexes held.
 *
 *   JWT_SECRET=… node --expose-gc dist/bench/memory-breakdown.js SPACESxRESERVATIONS
 *
 * Not part of `npm run bench`: it destroys the data it measures.
 */
import path from "node:path";
import { ServiceBroker, type ServiceSchema } from "moleculer";

const ADMIN = { email: "bench-admin@bench.mindspaces.test", password: "Bench-beheer-2026!x" };
process.env.ADMIN_EMAIL ??= ADMIN.email;
process.env.ADMIN_PASSWORD ??= ADMIN.password;
process.env.LOG_LEVEL ??= "warn";
process.env.PORT ??= "0";

/** The collections of each service (mixins/db.mixin.ts): `adapter` and the extra properties. */
const COLLECTIONS: Record<string, Record<string, string>> = {
  users: { adapter: "users", locks: "user_locks" },
  spaces: { adapter: "spaces" },
  reservations: { adapter: "reservations", claims: "claims", locks: "reservation_locks" },
  notifications: { adapter: "notifications", reminders: "reminders", emailClaims: "email_claims" },
  reports: { adapter: "reports_reservations", spaceFacts: "reports_spaces" },
};

interface NeDbAdapter {
  db: {
    getAllData(): object[];
    removeAsync(query: object, options: { multi: boolean }): Promise<number>;
  };
}

const gc = () => {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error("Run with node --expose-gc");
  collect();
  collect();
};
const heapMb = () => {
  gc();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};

async function main() {
  const [spaces, reservations] = (process.argv[2] ?? "20x1000").split("x").map(Number);
  // After the environment is set: the services read their configuration when loaded.
  const { default: brokerConfig } = await import("../moleculer.config");
  const { brokerCall, seed } = await import("./seed");
  const broker = new ServiceBroker(brokerConfig);
  for (const name of ["api", "users", "spaces", "reservations", "notifications", "reports"]) {
    const file = path.join(__dirname, "..", "services", `${name}.service`);
    const loaded = (await import(file)) as { default: ServiceSchema };
    broker.createService(loaded.default);
  }
  await broker.start();
  type Counted = { adapter: { count(filters: object): Promise<number> } };
  const reports = broker.getLocalService("reports") as unknown as Counted;
  const notifications = broker.getLocalService("notifications") as unknown as Counted;
  const { stats } = await seed(
    brokerCall(broker),
    { spaces, reservations, users: Math.max(50, Math.ceil(reservations / 200)), days: 182 },
    {
      adminEmail: ADMIN.email,
      adminPassword: ADMIN.password,
      concurrency: 8,
      log: line => console.log(line),
      consumed: async () =>
        Math.min(
          await reports.adapter.count({ query: {} }),
          await notifications.adapter.count({ query: {} }),
        ),
    },
  );
  // Let the last events and the outbox settle.
  await new Promise(resolve => setTimeout(resolve, 5000));
  const rss = process.memoryUsage().rss / 1024 / 1024;
  const total = heapMb();
  console.log(
    `seeded ${stats.reservationsAdded} reservations; heap ${total.toFixed(1)} MB, RSS ${rss.toFixed(1)} MB`,
  );
  const rows: string[] = [];
  let heap = total;
  for (const [service, collections] of Object.entries(COLLECTIONS)) {
    const instance = broker.getLocalService(service) as unknown as Record<string, NeDbAdapter>;
    for (const [property, collection] of Object.entries(collections)) {
      const adapter = instance[property];
      const documents = adapter.db.getAllData();
      const count = documents.length;
      const json = documents.reduce((sum, doc) => sum + JSON.stringify(doc).length, 0);
      const sample = JSON.stringify(documents[0] ?? {});
      await adapter.db.removeAsync({}, { multi: true });
      const after = heapMb();
      const freed = heap - after;
      heap = after;
      rows.push(
        `| ${collection} | ${count} | ${(json / Math.max(count, 1)).toFixed(0)} | ${freed.toFixed(1)} | ${count ? ((freed * 1024 * 1024) / count).toFixed(0) : "-"} |`,
      );
      console.log(`  ${collection}: ${sample.slice(0, 400)}`);
    }
  }
  console.log(
    "| collection | documents | JSON bytes per document | heap freed MB | heap bytes per document |",
  );
  console.log("| --- | ---: | ---: | ---: | ---: |");
  for (const row of rows) console.log(row);
  console.log(`heap left with every collection empty: ${heap.toFixed(1)} MB`);
  await broker.stop();
}

main().catch(err => {
  console.error(err);
  process.exit(1);
});
