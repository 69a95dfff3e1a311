import { DateTime } from "luxon";
import {
  computeUtilization,
  tallyBooked,
  type GroupBy,
  type ReservationFact,
  type SpaceFact,
} from "../../../../services/reports/utilization";
import type { OpeningHours } from "../../../../lib/bookable-space";

const AMS = "Europe/Amsterdam";
const office = [{ from: "08:00", to: "18:00" }];
const weekdays = (ranges = office): OpeningHours => ({
  mon: ranges,
  tue: ranges,
  wed: ranges,
  thu: ranges,
  fri: ranges,
  sat: [],
  sun: [],
});
const local = (iso: string) => DateTime.fromISO(iso, { zone: AMS });
const utc = (iso: string) => local(iso).toUTC().toISO()!;

function space(id: string, site: string, overrides: Partial<SpaceFact> = {}): SpaceFact {
  return {
    _id: id,
    name: `Room ${id}`,
    site,
    timeZone: AMS,
    openingHours: weekdays(),
    active: true,
    updatedAt: "2027-01-01T00:00:00.000Z",
    ...overrides,
  };
}

function booking(
  id: string,
  spaceId: string,
  start: string,
  end: string,
  status: ReservationFact["status"] = "confirmed",
): ReservationFact {
  return { _id: id, spaceId, start: utc(start), end: utc(end), status, updatedAt: "x" };
}

// Monday 11 January 2027 to Monday 18 January: five office days of ten hours.
const from = local("2027-01-11T00:00");
const to = local("2027-01-18T00:00");

/** A report of `facts`, added one at a time as the service adds them while they stream past. */
function utilization(
  spaces: SpaceFact[],
  facts: ReservationFact[],
  windowFrom: DateTime,
  windowTo: DateTime,
  groupBy: GroupBy,
) {
  const booked = tallyBooked(windowFrom, windowTo);
  for (const fact of facts) booked.add(fact);
  return computeUtilization(spaces, booked, groupBy);
}

describe("utilisation", () => {
  it("relates booked to open hours per space and counts reservations and cancellations", () => {
    const rows = utilization(
      [space("a", "Utrecht"), space("b", "Utrecht")],
      [
        booking("1", "a", "2027-01-11T09:00", "2027-01-11T11:00"),
        booking("2", "a", "2027-01-12T14:00", "2027-01-12T15:00"),
        booking("3", "a", "2027-01-13T14:00", "2027-01-13T15:00", "cancelled"),
      ],
      from,
      to,
      "space",
    );
    expect(rows).toEqual([
      {
        group: "a",
        site: "Utrecht",
        space: "Room a",
        spaces: 1,
        openHours: 50,
        bookedHours: 3,
        utilization: 0.06,
        reservations: 2,
        cancellations: 1,
      },
      {
        group: "b",
        site: "Utrecht",
        space: "Room b",
        spaces: 1,
        openHours: 50,
        bookedHours: 0,
        utilization: 0,
        reservations: 0,
        cancellations: 0,
      },
    ]);
  });

  it("sums spaces per location and counts only the part of a booking inside the window", () => {
    const rows = utilization(
      [space("a", "Utrecht"), space("b", "Utrecht"), space("c", "Zwolle")],
      [
        booking("1", "a", "2027-01-11T08:00", "2027-01-11T18:00"),
        // Sunday 22:00 to Monday 02:00: the window ends at Monday 00:00, so two hours count.
        booking("2", "c", "2027-01-17T22:00", "2027-01-18T02:00"),
      ],
      from,
      to,
      "location",
    );
    expect(rows.map(r => [r.group, r.spaces, r.openHours, r.bookedHours])).toEqual([
      ["Utrecht", 2, 100, 10],
      ["Zwolle", 1, 50, 2],
    ]);
    expect(rows[0].utilization).toBe(0.1);
    expect(rows[0]).not.toHaveProperty("space");
  });

  it("counts open hours in local time across a daylight-saving change", () => {
    const always = space("n", "Delft", {
      openingHours: Object.fromEntries(
        ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map(d => [
          d,
          [{ from: "00:00", to: "24:00" }],
        ]),
      ) as OpeningHours,
    });
    const [spring] = utilization(
      [always],
      [],
      local("2027-03-28T00:00"),
      local("2027-03-29T00:00"),
      "space",
    );
    expect(spring.openHours).toBe(23);
    const [office] = utilization(
      [space("o", "Delft")],
      [],
      local("2027-03-22T00:00"),
      local("2027-04-05T00:00"),
      "space",
    );
    expect(office.openHours).toBe(100);
  });

  it("leaves out deactivated spaces unless they had reservations in the window", () => {
    const rows = utilization(
      [space("a", "Utrecht", { active: false }), space("b", "Utrecht", { active: false })],
      [booking("1", "b", "2027-01-11T09:00", "2027-01-11T10:00", "cancelled")],
      from,
      to,
      "space",
    );
    expect(rows.map(r => r.group)).toEqual(["b"]);
  });
});
