/**
 * For tests that reach past the reservations' actions into how a reservation lives
 * (services/reservations/lifecycle.ts): one broker with spaces and reservations, and an
 * always-open space to book.
 */
import type { ServiceBroker, ServiceSchema } from "moleculer";
import type { SpaceKind } from "../../lib/events/space-events";
import { createReservationsService } from "../../services/reservations.service";
import type { LifecycleDeps } from "../../services/reservations/lifecycle";
import { createSpacesService } from "../../services/spaces.service";
import { testBroker } from "./local-system";
import { ALWAYS_OPEN } from "./opening-hours";
import { testConfig } from "./test-env";

const manager = { user: { id: "manager-1", role: "manager", locale: "en" } };

/**
 * A started broker with spaces and reservations on `mongoUri` (null: the embedded store), and
 * `extra` services beside them; with the reservations service's lifecycle.
 */
export async function lifecycleSystem(
  mongoUri: string | null,
  extra: ServiceSchema[] = [],
): Promise<{ broker: ServiceBroker; lifecycle: LifecycleDeps }> {
  const broker = testBroker();
  broker.createService(createSpacesService(testConfig({ mongoUri })));
  broker.createService(createReservationsService(testConfig({ mongoUri })));
  for (const service of extra) broker.createService(service);
  await broker.start();
  const { lifecycle } = broker.getLocalService("reservations") as unknown as {
    lifecycle: LifecycleDeps;
  };
  return { broker, lifecycle };
}

/** An always-open space, made by a manager; its id. */
export async function alwaysOpenSpace(
  broker: ServiceBroker,
  space: { name: string; kind: SpaceKind; site: string; capacity: number },
): Promise<string> {
  const { id } = await broker.call<{ id: string }, object>(
    "spaces.create",
    {
      name: space.name,
      kind: space.kind,
      location: { site: space.site },
      capacity: space.capacity,
      openingHours: ALWAYS_OPEN,
    },
    { meta: manager },
  );
  return id;
}
