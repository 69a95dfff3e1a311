/**
 * The start-up passes over records an older version wrote (reservations' day and open keys) run
 * until they have finished once on a store, and are skipped by later starts: on FerretDB each
 * reads every reservation (lib/upgrade-passes.ts). An instance of an older version joining makes
 * the running ones forget them, so the next start looks again.
 */
import type { DbAdapter } from "moleculer-db";
import { createReservationsService } from "../../services/reservations.service";
import * as dayBuckets from "../../services/reservations/day-buckets";
import * as openKeys from "../../services/reservations/open-keys";
import { natsBroker } from "../support/local-system";
import { deleteStreams, dropDatabase, mongoUri, testConfig, uniqueName } from "../support/test-env";
import { waitFor, waitUntil } from "../support/waiting";

interface Reservations {
  upgradeMarks: DbAdapter;
  dayKeysStored?: boolean;
  openKeysStored?: boolean;
}

describe("start-up passes remembered on the store (Mongo-wire server, NATS)", () => {
  it("run once, are skipped by the next start, and are forgotten when an older instance joins", async () => {
    const namespace = uniqueName("ms-upgrades");
    const uri = mongoUri(uniqueName("upgrades").replace(/-/g, "_"));
    const brokers: ReturnType<typeof natsBroker>[] = [];
    const start = async (nodeID: string) => {
      const broker = natsBroker(namespace, nodeID);
      brokers.push(broker);
      broker.createService(createReservationsService(testConfig({ mongoUri: uri })));
      await broker.start();
      const reservations = broker.getLocalService("reservations") as unknown as Reservations;
      await waitFor(
        () => reservations.dayKeysStored === true && reservations.openKeysStored === true,
        "the start-up passes",
      );
      return { broker, reservations };
    };
    const dayKeysPass = jest.spyOn(dayBuckets, "backfillDays");
    const openKeysPass = jest.spyOn(openKeys, "backfillOpenKeys");
    const marked = async (reservations: Reservations) =>
      ((await reservations.upgradeMarks.find({ query: {} } as never)) as { _id: string }[])
        .map(mark => mark._id)
        .sort();
    try {
      const first = await start("reservations-1");
      expect(dayKeysPass).toHaveBeenCalledTimes(1);
      expect(openKeysPass).toHaveBeenCalledTimes(1);
      expect(await marked(first.reservations)).toEqual(["dayKeys", "openKeys"]);
      await first.broker.stop();

      const second = await start("reservations-2");
      expect(dayKeysPass).toHaveBeenCalledTimes(1);
      expect(openKeysPass).toHaveBeenCalledTimes(1);

      // An instance of a version before the marks: its metadata names no passes.
      const older = natsBroker(namespace, "older-reservations-1");
      brokers.push(older);
      older.createService({ name: "reservations" });
      await older.start();
      await waitUntil(
        async () => (await marked(second.reservations)).length === 0,
        "the marks to be forgotten",
      );

      // It is gone; a newer instance starting now looks again, and remembers.
      await older.stop();
      const third = await start("reservations-3");
      expect(dayKeysPass).toHaveBeenCalledTimes(2);
      expect(openKeysPass).toHaveBeenCalledTimes(2);
      await waitUntil(
        async () => (await marked(third.reservations)).length === 2,
        "the marks once more",
      );
    } finally {
      jest.restoreAllMocks();
      for (const broker of brokers) await broker.stop();
      await deleteStreams(namespace);
      await dropDatabase(uri);
    }
  });
});
