/**
 * There is always an active admin. A change that may take one away (demotion, deactivation,
 * erasure) runs under the `admins` lock in `user_locks` and checks that another active admin
 * remains: otherwise two admins demoting each other at once could both pass the check, on any
 * instances, and none would remain (docs/ARCHITECTURE.md, "What we rely on from the store").
 */
import type { DbAdapter } from "moleculer-db";
import { ErrorType, fail } from "../../lib/errors";
import { findMany } from "../../lib/store";
import { withLock } from "../../lib/store-lock";
import type { UserRecord } from "./user-record";

/** Runs `work` while no other change of administrators runs; 409 when one stays running. */
export async function withAdminsLocked<T>(locks: DbAdapter, work: () => Promise<T>): Promise<T> {
  return withLock(locks, "admins", work, () => fail(ErrorType.CONCURRENT_UPDATE));
}

/** Refuses (LAST_ADMIN) unless an active admin other than `exceptId` remains. */
export async function assertAnotherActiveAdmin(users: DbAdapter, exceptId: string): Promise<void> {
  const admins = await findMany<UserRecord>(users, { query: { role: "admin", active: true } });
  if (!admins.some(admin => String(admin._id) !== exceptId)) fail(ErrorType.LAST_ADMIN);
}
