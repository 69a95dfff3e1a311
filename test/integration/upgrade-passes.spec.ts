/**
 * The start-up passes over records an older version wrote (reservations' day and open keys) run
 * until they have finished once on a store, and are skipped by later starts: on FerretDB each
 * reads every reservation (lib/upgrade-passes.ts). An instance of an older version joining makes
 * the running ones forget them, so the next start looks again. The outbox relay's first look for
 * outboxes an older version left without their flag is such a pass too.
 */
import type { DbAdapter } from "moleculer-db";
import * as store from "../../lib/store";
import { listsInstanceWithout, WRITES_KEYS } from "../../lib/upgrade-passes";
import { outboxOf } from "../../mixins/durable-events.mixin";
import { createReservationsService } from "../../services/reservations.service";
import * as dayBuckets from "../../services/reservations/day-buckets";
import * as openKeys from "../../services/reservations/open-keys";
import { natsBroker } from "../support/local-system";
import { deleteStreams, dropDatabase, mongoUri, testConfig, uniqueName } from "../support/test-env";
import { waitFor, waitUntil } from "../support/waiting";

interface Reservations {
  adapter: DbAdapter;
  upgradeMarks: DbAdapter;
  relayOutbox(olderThanMs: number): Promise<number>;
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
    const findMany = jest.spyOn(store, "findMany");
    /** Runs a relay round; whether it asked for outboxes without the flag too. */
    const relayLooksUnflagged = async (reservations: Reservations) => {
      findMany.mockClear();
      await reservations.relayOutbox(0);
      const relayQueries = findMany.mock.calls
        .map(call => (call[1] as { query: Record<string, unknown> }).query)
        .filter(query => "outboxSince" in query);
      expect(relayQueries).toHaveLength(1);
      return !("outboxPending" in relayQueries[0]);
    };
    const marked = async (reservations: Reservations) =>
      ((await reservations.upgradeMarks.find({ query: {} } as never)) as { _id: string }[])
        .map(mark => mark._id)
        .sort();
    try {
      const first = await start("reservations-1");
      expect(dayKeysPass).toHaveBeenCalledTimes(1);
      expect(openKeysPass).toHaveBeenCalledTimes(1);
      expect(await relayLooksUnflagged(first.reservations)).toBe(true);
      expect(await marked(first.reservations)).toEqual(["dayKeys", "flaggedOutboxes", "openKeys"]);
      await first.broker.stop();

      const second = await start("reservations-2");
      expect(dayKeysPass).toHaveBeenCalledTimes(1);
      expect(openKeysPass).toHaveBeenCalledTimes(1);
      expect(await relayLooksUnflagged(second.reservations)).toBe(false);

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
      // Its relay's first round finds an outbox the older one left: it relays it, and leaves
      // the look to be made again by the next start, which finds none and remembers.
      const staged: Partial<ReturnType<typeof outboxOf>> = outboxOf({
        eventId: "9d4f6a2e-1b3c-4d5e-8f70-a1b2c3d4e5f6",
        type: "reservation.cancelled",
        occurredAt: new Date(Date.now() - 60_000).toISOString(),
        data: {},
      });
      delete staged.outboxPending;
      await third.reservations.adapter.insert({ _id: "staged-by-older", ...staged });
      expect(await relayLooksUnflagged(third.reservations)).toBe(true);
      expect(await marked(third.reservations)).toEqual(["dayKeys", "openKeys"]);
      expect(await relayLooksUnflagged(third.reservations)).toBe(false);
      const relayed = (await third.reservations.adapter.findById("staged-by-older")) as object;
      expect(relayed).not.toHaveProperty("outboxIds");
      // It is no reservation: the day-key pass of a start an older instance sees would ask for
      // its space.
      await third.reservations.adapter.removeById("staged-by-older");
      await third.broker.stop();

      const fourth = await start("reservations-4");
      expect(await relayLooksUnflagged(fourth.reservations)).toBe(true);
      expect(await marked(fourth.reservations)).toEqual(["dayKeys", "flaggedOutboxes", "openKeys"]);
      await fourth.broker.stop();

      // An older instance still runs when a newer one starts, and stops before the newer's
      // first relay round: what it staged in its last seconds may be younger than that round's
      // look, so the look is not remembered, and the next start looks again.
      const leaving = natsBroker(namespace, "older-reservations-2");
      brokers.push(leaving);
      leaving.createService({ name: "reservations" });
      await leaving.start();
      const fifth = await start("reservations-5");
      const listsOlder = () =>
        listsInstanceWithout(fifth.broker, "reservations", metadata => WRITES_KEYS in metadata);
      // The newer one has seen it (discovery over NATS takes a moment), then it leaves.
      await waitFor(listsOlder, "the newer instance to see the older one");
      await waitUntil(
        async () => (await marked(fifth.reservations)).length === 0,
        "the marks to be forgotten again",
      );
      await leaving.stop();
      await waitFor(() => !listsOlder(), "the older instance to leave the registry");
      expect(await relayLooksUnflagged(fifth.reservations)).toBe(true);
      expect(await marked(fifth.reservations)).not.toContain("flaggedOutboxes");
    } finally {
      jest.restoreAllMocks();
      for (const broker of brokers) await broker.stop();
      await deleteStreams(namespace);
      await dropDatabase(uri);
    }
  });
});
