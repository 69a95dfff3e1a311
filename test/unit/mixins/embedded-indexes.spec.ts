/**
 * The embedded store (NeDB) indexes one field per index, and keeps a list of documents per value:
 * an index on a field with a few values (a status) makes every write to the collection rewrite a
 * list as long as the collection. The services' embedded indexes are on fields with many values
 * (`embeddedField` in mixins/db.mixin.ts), so a create costs the same at 100 or 100,000.
 */
import type { ServiceBroker } from "moleculer";
import { createNotificationsService } from "../../../services/notifications.service";
import { createReservationsService } from "../../../services/reservations.service";
import { testBroker } from "../../support/local-system";
import { testConfig } from "../../support/test-env";

interface NeDbStore {
  db: { indexes: Record<string, unknown> };
}

/** Fields whose values are a handful of states, never an index of their own on NeDB. */
const FEW_VALUES = ["status", "email", "role", "active"];

describe("indexes of the embedded store", () => {
  let broker: ServiceBroker;

  beforeAll(async () => {
    broker = testBroker();
    broker.createService(createReservationsService(testConfig({ mongoUri: null })));
    broker.createService(createNotificationsService(testConfig({ mongoUri: null })));
    await broker.start();
  });
  afterAll(() => broker.stop());

  const indexed = (service: string, property: string) =>
    Object.keys(
      (broker.getLocalService(service) as unknown as Record<string, NeDbStore>)[property].db
        .indexes,
    );

  it("index the sweep, reminder and e-mail reads by time, not by their state", () => {
    // Only pending records have `pendingSince` (sparse): the sweep reads them, not every record.
    expect(indexed("reservations", "adapter")).toContain("pendingSince");
    expect(indexed("reservations", "adapter")).not.toContain("createdAt");
    expect(indexed("notifications", "reminders")).toContain("remindAt");
    expect(indexed("notifications", "adapter")).toContain("emailAt");
    for (const [service, property] of [
      ["reservations", "adapter"],
      ["reservations", "claims"],
      ["notifications", "adapter"],
      ["notifications", "reminders"],
      ["notifications", "emailClaims"],
    ]) {
      for (const field of FEW_VALUES) expect(indexed(service, property)).not.toContain(field);
    }
  });

  it("index window reads by space and UTC day, and keep no list of a whole day's reservations", () => {
    // `days` is for FerretDB (MongoDB only); NeDB is asked for `spaceDays` (window-query.ts), and
    // a `days` list holds every reservation of a day, rewritten on each write of one of them.
    expect(indexed("reservations", "adapter")).toContain("spaceDays");
    expect(indexed("reservations", "adapter")).not.toContain("days");
  });
});
