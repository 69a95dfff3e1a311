/**
 * Erasing an account: the record keeps only its id and dates (`erasure`, user-record.ts), and a
 * durable `user.erased` event, stored with that change, makes every other service erase or
 * anonymise what it holds. The last active admin cannot be erased (last-admin.ts).
 */
import type { Logger } from "moleculer";
import type { DbAdapter } from "moleculer-db";
import { ErrorType, fail } from "../../lib/errors";
import type { EnvelopeOf, EventEnvelope } from "../../lib/events/envelope";
import { UserEvent, type UserEvents } from "../../lib/events/user-events";
import { withEvent } from "../../mixins/durable-events.mixin";
import { findById } from "./accounts";
import { assertAnotherActiveAdmin, withAdminsLocked } from "./last-admin";
import { erasure } from "./user-record";

export interface ErasureDeps {
  users: DbAdapter;
  locks: DbAdapter;
  events: {
    stage(
      type: typeof UserEvent.ERASED,
      data: UserEvents["user.erased"],
    ): EnvelopeOf<UserEvents, "user.erased">;
    flush(id: unknown, events: EventEnvelope[]): Promise<void>;
  };
  logger: Logger;
}

export async function eraseAccount(deps: ErasureDeps, id: string, by: string) {
  const user = await findById(deps.users, id);
  if (!user) fail(ErrorType.USER_NOT_FOUND);
  const at = new Date().toISOString();
  const event = deps.events.stage(UserEvent.ERASED, { userId: id, erasedAt: at, by });
  const erase = () =>
    deps.users.updateMany(
      { _id: user._id, tokenVersion: user.tokenVersion },
      withEvent({ $set: erasure(user, at) }, event),
    );
  if (user.role === "admin" && user.active) {
    await withAdminsLocked(deps.locks, async () => {
      await assertAnotherActiveAdmin(deps.users, id);
      await erase();
    });
  } else {
    await erase();
  }
  await deps.events.flush(user._id, [event]);
  // Who asked, never whom it was about beyond the id: the point is to forget them.
  deps.logger.info("User erased", { userId: id, by });
  return { erased: true as const, userId: id };
}
