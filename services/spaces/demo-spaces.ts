/**
 * Example spaces for the in-memory try-out (`npm start` with no configuration), whose catalogue
 * is empty at every start: without them a newcomer could register but find nothing to book.
 * Created through the service's own `create` action, as a manager would, and only into an empty
 * catalogue. Two flexible workspaces are open around the clock, so something is bookable
 * whenever someone tries it.
 */
import type { Service } from "moleculer";
import type { DbAdapter } from "moleculer-db";

const EVERY_DAY_ALL_DAY = Object.fromEntries(
  ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map(day => [
    day,
    [{ from: "00:00", to: "24:00" }],
  ]),
);

export const DEMO_SPACES = [
  {
    name: "Tulp",
    kind: "meeting-room",
    location: { site: "Utrecht", building: "Gebouw A", floor: "1" },
    capacity: 6,
    equipment: ["beamer", "whiteboard"],
    description: "Overlegruimte aan de tuinkant.",
  },
  {
    name: "Zonnebloem",
    kind: "meeting-room",
    location: { site: "Utrecht", building: "Gebouw A", floor: "2" },
    capacity: 12,
    equipment: ["beamer", "videobellen", "rolstoeltoegankelijk"],
    description: "Grote vergaderzaal met scherm voor videobellen.",
  },
  {
    name: "Stilteruimte",
    kind: "workspace",
    location: { site: "Utrecht", building: "Gebouw B", floor: "0" },
    capacity: 1,
    equipment: [],
    description: "Voor werk dat rust vraagt, zoals verslaglegging.",
  },
  {
    name: "Flexplek 1",
    kind: "desk",
    location: { site: "Amersfoort", building: "Zorgcentrum De Linde" },
    capacity: 1,
    equipment: ["monitor"],
    description: "Altijd open.",
    openingHours: EVERY_DAY_ALL_DAY,
  },
  {
    name: "Flexplek 2",
    kind: "desk",
    location: { site: "Amersfoort", building: "Zorgcentrum De Linde" },
    capacity: 1,
    equipment: ["monitor"],
    description: "Altijd open.",
    openingHours: EVERY_DAY_ALL_DAY,
  },
  {
    name: "Roos",
    kind: "meeting-room",
    location: { site: "Amersfoort", building: "Zorgcentrum De Linde" },
    capacity: 8,
    equipment: ["whiteboard", "rolstoeltoegankelijk"],
    description: "Overlegruimte naast de teampost.",
  },
];

/** Adds the example spaces when the catalogue is empty; says so in the log. */
export async function seedDemoSpaces(service: Service & { adapter: DbAdapter }): Promise<void> {
  if ((await service.adapter.count()) > 0) return;
  const meta = { user: { id: "demo", role: "admin", locale: "nl" } };
  for (const space of DEMO_SPACES) await service.actions.create(space, { meta });
  service.logger.info(
    `Added ${DEMO_SPACES.length} example spaces for this try-out (DEMO_SPACES=false to start empty).`,
  );
}
