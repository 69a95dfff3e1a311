/**
 * E-mail for notifications, sent once however many instances run.
 *
 * The first attempt belongs to the instance that made the notification: only one insert of its
 * unique key succeeds, so only one instance makes it and sends it at once, without a claim. The
 * notification says from when anyone else may send it (`emailAt`): its maker's sending time
 * later, as long as a claim is trusted. After that, and after a refused send, the e-mail is owed,
 * and `retryUnsent` sends it; every such later attempt is claimed by inserting the
 * notification's id into `email_claims` under its unique index, so only one instance sends it (a
 * conditional status update is not enough: the Mongo-wire server the tests run on does not make
 * one atomic, and two instances would both "win"). `retryUnsent` also frees the claims of
 * instances that died while sending.
 *
 * The first attempt without a claim saves a create five store round trips on FerretDB (the
 * claim's insert, and two updates each costing a read and a write), and nearly every e-mail is
 * sent on its first attempt.
 */
import type { DbAdapter } from "moleculer-db";
import type { Locale } from "../../lib/config";
import type { EmailState } from "../../lib/public-contracts";
import { findMany, isUniqueViolation } from "../../lib/store";
import { mailContent, type NotificationSubject } from "./content";
import type { MailOutcome, Mailer } from "./mailer";

/**
 * An e-mail still being sent after this long belongs to an instance that died: send again. The
 * mailer gives up well before (mailer.ts), so a live sender is never overtaken.
 */
export const SENDING_TIMEOUT_MS = 2 * 60_000;
const BATCH = 100;

/** What a notification record holds for its e-mail (the record is in-app.ts's). */
export interface Mailable extends NotificationSubject {
  _id: string;
  userId: string;
  email: EmailState;
  /**
   * From when `retryUnsent` may send it, only while it is owed (`pending`): the embedded store's
   * index on it then holds only what is owed, not every notification ever sent. On a new
   * notification it lies ahead by `SENDING_TIMEOUT_MS`, the time its maker has to send it.
   */
  emailAt?: string;
}

export interface EmailClaim {
  _id: string;
  userId: string;
  claimedAt: string;
  /**
   * Present (true) only while it is being sent. The look for claims of instances that died while
   * sending asks for it by equality, which every store serves from an index (FerretDB hands only
   * equality to PostgreSQL): asking for claims without `sentAt` read every claim ever made.
   */
  sending?: true;
  /** Written only by the claim's holder, so no other write can undo it. */
  sentAt?: string;
}

/** Where to write to someone, from `users.contact`; null when there is nobody to tell. */
export interface Contact {
  email: string;
  name: string;
  locale: Locale;
}

export interface EmailDeps {
  notifications: DbAdapter;
  emailClaims: DbAdapter;
  mailer: Mailer;
  contactOf(userId: string): Promise<Contact | null>;
}

/** Sends the e-mail; when the mail server refuses it, `refused` records that it is owed again. */
async function send(
  deps: EmailDeps,
  record: Mailable,
  contact: Contact,
  refused: () => Promise<void>,
): Promise<MailOutcome> {
  try {
    return await deps.mailer.send(contact.email, mailContent(record, contact.locale, contact.name));
  } catch (err) {
    await refused();
    throw err;
  }
}

/** When a notification made at `createdAt` becomes the retry's to send, if its maker has not. */
export function firstAttemptEnds(createdAt: string): string {
  return new Date(Date.parse(createdAt) + SENDING_TIMEOUT_MS).toISOString();
}

/**
 * The first attempt, by the instance that has just made the notification (see above: nobody
 * else sends it before its `emailAt`). Throws when the mail server refused it; the e-mail is
 * then owed from now.
 */
export async function sendMade(deps: EmailDeps, record: Mailable, contact: Contact) {
  const outcome = await send(deps, record, contact, async () => {
    await deps.notifications.updateMany(
      { _id: record._id, email: "pending" },
      { $set: { emailAt: new Date().toISOString() } },
    );
  });
  await deps.notifications.updateMany(
    { _id: record._id },
    { $set: { email: outcome }, $unset: { emailAt: "" } },
  );
}

/**
 * Sends an owed e-mail if nobody else has claimed it. Throws when the mail server refused it
 * (the e-mail is then owed again).
 */
export async function deliverEmail(
  deps: EmailDeps,
  record: Mailable,
  known?: Contact | null,
): Promise<void> {
  if (record.email !== "pending") return;
  const contact = known === undefined ? await deps.contactOf(record.userId) : known;
  if (!contact) {
    await deps.notifications.updateMany(
      { _id: record._id, email: "pending" },
      { $set: { email: "none" }, $unset: { emailAt: "" } },
    );
    return;
  }
  const claim: EmailClaim = {
    _id: record._id,
    userId: record.userId,
    claimedAt: new Date().toISOString(),
    sending: true,
  };
  try {
    await deps.emailClaims.insert(claim);
  } catch (err) {
    if (isUniqueViolation(err)) return; // Sent, or being sent, by someone else.
    throw err;
  }
  await deps.notifications.updateMany(
    { _id: record._id },
    { $set: { email: "sending" }, $unset: { emailAt: "" } },
  );
  const outcome = await send(deps, record, contact, async () => {
    await deps.notifications.updateMany(
      { _id: record._id },
      { $set: { email: "pending", emailAt: new Date().toISOString() } },
    );
    await deps.emailClaims.removeById(record._id);
  });
  const sentAt = new Date().toISOString();
  await deps.emailClaims.updateMany(
    { _id: record._id },
    { $set: { sentAt }, $unset: { sending: "" } },
  );
  await deps.notifications.updateMany({ _id: record._id }, { $set: { email: outcome } });
}

/**
 * Frees the claims of instances that died while sending, then sends what has been owed for
 * `retryAfterMs` (never tried, or refused). Safe on every instance at once.
 */
export async function retryUnsent(deps: EmailDeps, retryAfterMs: number): Promise<void> {
  const stale = await findMany<EmailClaim>(deps.emailClaims, {
    query: {
      sending: true,
      // A claim an older version was sending when `markOlderClaims` marked it may be sent since.
      sentAt: { $exists: false },
      claimedAt: { $lt: new Date(Date.now() - SENDING_TIMEOUT_MS).toISOString() },
    },
    limit: BATCH,
  });
  for (const claim of stale) {
    const freed = await deps.emailClaims.removeMany({
      _id: claim._id,
      claimedAt: claim.claimedAt,
      sentAt: { $exists: false },
    });
    // Sent after all, between the look and the removal: nothing is owed.
    if (freed === 0) continue;
    await deps.notifications.updateMany(
      { _id: claim._id },
      { $set: { email: "pending", emailAt: claim.claimedAt } },
    );
  }
  const unsent = await findMany<Mailable>(deps.notifications, {
    query: {
      email: "pending",
      emailAt: { $lt: new Date(Date.now() - retryAfterMs).toISOString() },
    },
    limit: BATCH,
  });
  for (const record of unsent) await deliverEmail(deps, record);
}

/**
 * Marks the claims an older version left being sent (without `sending`), so that `retryUnsent`
 * frees them should their instance have died. Run at start; it reads every claim once. Returns
 * how many it marked.
 */
export async function markOlderClaims(emailClaims: DbAdapter): Promise<number> {
  return emailClaims.updateMany(
    { sentAt: { $exists: false }, sending: { $exists: false } },
    { $set: { sending: true } },
  );
}

/**
 * Removes the `emailAt` an older version left on notifications whose e-mail is no longer owed
 * (sent, or nobody to send it to). On the embedded store it kept them in the index the retry
 * reads. Run at start there; it reads every notification once. Returns how many it changed.
 */
export async function dropOlderEmailTimes(notifications: DbAdapter): Promise<number> {
  return notifications.updateMany(
    { email: { $ne: "pending" }, emailAt: { $exists: true } },
    { $unset: { emailAt: "" } },
  );
}
