import {
  CLOCK_MARGIN_MS,
  dueSlotOf,
  nextCursor,
  slotOf,
  slotsSince,
} from "../../../../services/notifications/due-slots";

const at = (iso: string) => Date.parse(iso);

describe("due slots of reminders", () => {
  it("puts an instant in the five minutes holding it", () => {
    expect(slotOf(at("2026-12-01T09:04:59.999Z"))).toBe("2026-12-01T09:00:00.000Z");
    expect(slotOf(at("2026-12-01T09:05:00.000Z"))).toBe("2026-12-01T09:05:00.000Z");
    // Across the night the Netherlands change clocks: UTC slots have no gap and no repeat.
    expect(slotOf(at("2026-10-25T00:59:00.000Z"))).toBe("2026-10-25T00:55:00.000Z");
    expect(slotOf(at("2026-10-25T01:00:00.000Z"))).toBe("2026-10-25T01:00:00.000Z");
  });

  it("files a reminder already due when written under the current slot, not its own", () => {
    const now = at("2026-12-01T09:12:00.000Z");
    expect(dueSlotOf("2026-12-01T10:31:00.000Z", now)).toBe("2026-12-01T10:30:00.000Z");
    // Booked 20 minutes before its start with a 30-minute reminder: due 10 minutes ago.
    expect(dueSlotOf("2026-12-01T09:02:00.000Z", now)).toBe("2026-12-01T09:10:00.000Z");
  });

  it("asks every slot since the last look, and at least the current one", () => {
    const now = at("2026-12-01T09:12:00.000Z");
    expect(slotsSince("2026-12-01T08:55:00.000Z", now)).toEqual([
      "2026-12-01T08:55:00.000Z",
      "2026-12-01T09:00:00.000Z",
      "2026-12-01T09:05:00.000Z",
      "2026-12-01T09:10:00.000Z",
    ]);
    // A clock set back: the current slot only.
    expect(slotsSince("2026-12-01T10:00:00.000Z", now)).toEqual(["2026-12-01T09:10:00.000Z"]);
    // A cursor off the slot grid starts at its slot.
    expect(slotsSince("2026-12-01T09:07:30.000Z", now)).toEqual([
      "2026-12-01T09:05:00.000Z",
      "2026-12-01T09:10:00.000Z",
    ]);
  });

  it("starts the next look a clock margin back, so a slower clock's writes are not passed", () => {
    const now = at("2026-12-01T09:10:30.000Z");
    expect(nextCursor(now)).toBe(slotOf(now - CLOCK_MARGIN_MS));
    expect(nextCursor(now)).toBe("2026-12-01T09:05:00.000Z");
  });
});
