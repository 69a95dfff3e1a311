/**
 * The reports' space facts are held in memory by each instance (lib/versioned-snapshot.ts): a
 * space event recorded by any instance stamps their version, and the next report of every
 * instance sharing the store reads them again, so no report shows a space as it was before.
 */
import { DateTime } from "luxon";
import type { ServiceBroker } from "moleculer";
import { createReportsService } from "../../services/reports.service";
import { testBroker } from "../support/local-system";
import { ALWAYS_OPEN } from "../support/opening-hours";
import { dropDatabase, mongoUri, testConfig, uniqueName } from "../support/test-env";

const manager = { user: { id: "manager-1", role: "manager", locale: "en" } };
type Handler = (this: unknown, event: unknown) => Promise<void>;

interface Row {
  group: string;
  site: string;
  space?: string;
}

async function startReports(uri: string | null) {
  const broker = testBroker();
  broker.createService(createReportsService(testConfig({ mongoUri: uri })));
  await broker.start();
  return broker;
}

/** Records a space event as the durable consumer would (the channel's handler). */
function recordSpace(broker: ServiceBroker, type: string, space: object) {
  const service = broker.getLocalService("reports") as unknown as {
    schema: { channels: Record<string, Handler> };
  };
  return service.schema.channels[type].call(service, { type, data: { space } });
}

const day = DateTime.utc().plus({ days: 3 }).startOf("day");
const report = (broker: ServiceBroker) =>
  broker.call<{ rows: Row[] }, object>(
    "reports.utilization",
    { from: day.toISO(), to: day.plus({ days: 1 }).toISO(), groupBy: "space" },
    { meta: manager },
  );

describe.each([
  ["embedded store", () => null],
  ["Mongo-wire server", () => mongoUri(uniqueName("facts").replace(/-/g, "_"))],
])("the reports' space facts in memory (%s)", (_label, database) => {
  it("shows a space as its latest event says, also when another instance recorded it", async () => {
    const uri = database();
    const first = await startReports(uri);
    // On MongoDB a second instance shares the store; NeDB belongs to one process.
    const second = uri ? await startReports(uri) : first;
    try {
      const id = uniqueName("space");
      const space = (name: string, site: string, updatedAt: DateTime) => ({
        id,
        name,
        kind: "meeting-room",
        location: { site },
        capacity: 4,
        equipment: [],
        description: "",
        timeZone: "Europe/Amsterdam",
        openingHours: ALWAYS_OPEN,
        active: true,
        createdAt: updatedAt.toISO(),
        updatedAt: updatedAt.toISO(),
      });
      const created = DateTime.utc().minus({ minutes: 5 });
      await recordSpace(first, "space.created", space("Tulp", "Gouda", created));
      const row = async (broker: ServiceBroker) =>
        (await report(broker)).rows.find(r => r.group === id);
      expect(await row(first)).toMatchObject({ space: "Tulp", site: "Gouda" });
      expect(await row(second)).toMatchObject({ space: "Tulp", site: "Gouda" });

      await recordSpace(
        second,
        "space.updated",
        space("Roos", "Delft", created.plus({ minutes: 1 })),
      );
      expect(await row(first)).toMatchObject({ space: "Roos", site: "Delft" });
      expect(await row(second)).toMatchObject({ space: "Roos", site: "Delft" });
    } finally {
      await first.stop();
      if (second !== first) await second.stop();
      if (uri) await dropDatabase(uri);
    }
  });
});
