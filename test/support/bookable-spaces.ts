/**
 * Spaces made through `spaces.create`, as `reservations.freeSpaces` is asked about them (as
 * `spaces.find` asks: with the site group each is keyed by).
 */
import type { ServiceBroker } from "moleculer";
import { ALWAYS_OPEN } from "./opening-hours";

const manager = { user: { id: "manager-1", role: "manager", locale: "en" } };

/** `count` always-open meeting rooms, the i-th on site `siteOf(i)`. */
export async function bookableSpaces(
  broker: ServiceBroker,
  count: number,
  siteOf: (i: number) => string,
) {
  const spaces = [];
  for (let i = 0; i < count; i++) {
    const { id } = await broker.call<{ id: string }, object>(
      "spaces.create",
      {
        name: `Room ${i}`,
        kind: "meeting-room",
        location: { site: siteOf(i) },
        capacity: 4,
        openingHours: ALWAYS_OPEN,
      },
      { meta: manager },
    );
    const view = await broker.call<Record<string, unknown>, object>("spaces.forBooking", { id });
    spaces.push({
      id,
      timeZone: view.timeZone,
      openingHours: view.openingHours,
      rules: view.rules,
      active: view.active,
      siteGroup: view.siteGroup as string,
    });
  }
  return spaces;
}
