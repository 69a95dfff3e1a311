/**
 * GDPR: everything MindSpaces holds about one person, gathered from every service that keeps
 * some: the account here, reservations (and when they cancelled others') and notifications by
 * their services' `exportFor` actions. The reports read model holds no personal data.
 */
import type { Context } from "moleculer";
import { toPublicUser, type UserRecord } from "./user-record";

export async function dataExport(ctx: Context, user: UserRecord) {
  const userId = String(user._id);
  const [reservations, notifications] = await Promise.all([
    ctx.call<{ own: unknown[]; cancelledForOthers: unknown[] }, { userId: string }>(
      "reservations.exportFor",
      { userId },
    ),
    // In the person's own language, as the app shows them.
    ctx.call("notifications.exportFor", { userId, locale: user.locale }),
  ]);
  return {
    exportedAt: new Date().toISOString(),
    account: toPublicUser(user),
    reservations: reservations.own,
    reservationsCancelledForOthers: reservations.cancelledForOthers,
    notifications,
    // No owners, no titles in the reports read model: nothing of this person's to show.
    reports: null,
  };
}
