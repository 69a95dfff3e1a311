/**
 * Due slots: the five minutes in which a reminder falls due, stored on it as `dueSlot` while it
 * is scheduled, so that on MongoDB a tick asks by equality for the slots since its last one.
 *
 * Why: FerretDB hands PostgreSQL equalities only. Asked for `{ status: "scheduled", remindAt:
 * { $lte: now } }`, it fetched and decoded every scheduled reminder (one per upcoming
 * reservation, so 100,000 at organisation scale) on every tick of every instance, to keep the
 * few due. A slot holds the reminders due in its five minutes that are still to send.
 *
 * The slots are UTC instants floored to five minutes: epoch arithmetic, which UTC's lack of
 * offsets makes exact, so no time-zone library is needed here.
 */

/** How long one slot is. */
export const SLOT_MS = 5 * 60_000;

/**
 * How far before its last look a tick asks again: a reminder written by an instance whose clock
 * is behind this one's by up to this much still lands in a slot the next tick asks for.
 */
export const CLOCK_MARGIN_MS = 60_000;

/** The slot holding the instant `ms` (epoch milliseconds), as an ISO instant. */
export function slotOf(ms: number): string {
  return new Date(Math.floor(ms / SLOT_MS) * SLOT_MS).toISOString();
}

/**
 * The slot a reminder due at `remindAt` is looked for in, written at `nowMs`: its own, or, when
 * it is already due (a reservation made less than the reminder time before its start, an event
 * delivered late), the current one, which the next tick asks for.
 */
export function dueSlotOf(remindAt: string, nowMs: number): string {
  return slotOf(Math.max(Date.parse(remindAt), nowMs));
}

/**
 * Every slot from `from` through the one holding `nowMs`, oldest first; at least the current one
 * (a clock set back leaves `from` ahead of it).
 */
export function slotsSince(from: string, nowMs: number): string[] {
  const last = Date.parse(slotOf(nowMs));
  const first = Math.min(Date.parse(slotOf(Date.parse(from))), last);
  const slots: string[] = [];
  for (let ms = first; ms <= last; ms += SLOT_MS) slots.push(new Date(ms).toISOString());
  return slots;
}

/** Where the tick after one that started at `nowMs`, and found everything, starts asking. */
export function nextCursor(nowMs: number): string {
  return slotOf(nowMs - CLOCK_MARGIN_MS);
}
