/**
 * Accounts in the `users` collection: found by e-mail (in any letter case) or id, made under the
 * unique index on the lower-cased e-mail, and signed in to. An erased account's tombstone is
 * nobody: not found, cannot sign in, gets no mail.
 */
import argon2 from "argon2";
import type { DbAdapter } from "moleculer-db";
import { ErrorType, fail, failValidation } from "../../lib/errors";
import { createBoundedWork } from "../../lib/bounded-work";
import { createKeyedTurns, type KeyedTurns } from "../../lib/keyed-turns";
import { isUniqueViolation } from "../../lib/store";
import { isAcceptablePassword } from "./password-policy";
import type { NewUser } from "./service-types";
import { emailKey, type UserRecord } from "./user-record";

/**
 * A hash of a random password, verified against when the e-mail is unknown, so a failed login
 * takes as long whether or not the account exists (no account discovery by timing).
 */
const decoyHash = argon2.hash(`decoy-${Math.random()}-${Date.now()}`);

/**
 * Hashing and checking passwords, two at a time per process (each takes 64 MiB and a few hundred
 * ms of CPU), with 16 more waiting at most 3 s; past that a sign-in or registration is refused
 * at once with 429 and `Retry-After` (lib/bounded-work.ts says why). A refusal is a 4xx, so a
 * flood does not open the circuit breaker on sign-in for everyone after it ends.
 */
const passwordWork = createBoundedWork({
  concurrency: 2,
  maxWaiting: 16,
  maxWaitMs: 3_000,
  refuse: () => fail(ErrorType.RATE_LIMITED),
});

/** A password's argon2id hash, within the bound on password work. */
const hashPassword = (password: string) =>
  passwordWork(() => argon2.hash(password, { type: argon2.argon2id }));

/** Whether `password` matches `hash`, within the bound on password work. */
const verifyPassword = (hash: string, password: string) =>
  passwordWork(() => argon2.verify(hash, password));

export async function findByEmail(users: DbAdapter, email: string): Promise<UserRecord | null> {
  const record = (await users.findOne({ emailKey: emailKey(email) })) as UserRecord | null;
  return record && !record.erased ? record : null;
}

export async function findById(users: DbAdapter, id: string): Promise<UserRecord | null> {
  // findById, not findOne({ _id }): on MongoDB it turns the string into an ObjectId.
  const record = ((await users.findById(id)) ?? null) as UserRecord | null;
  return record && !record.erased ? record : null;
}

/**
 * Registrations of one address take turns within an instance (per store, as tests run several
 * brokers in one process). Racing registrations of one address each hashed a password (64 MiB
 * and a few hundred ms of CPU each) before the unique index refused all but one; 20 at once took
 * over 10 s on a busy machine. Now the first hashes, and the others find its account and answer
 * at once.
 */
const registrationTurns = new WeakMap<DbAdapter, KeyedTurns>();

/** Makes an account; refuses a weak password and an address that has one (in any letter case). */
export async function createAccount(users: DbAdapter, input: NewUser): Promise<UserRecord> {
  if (!isAcceptablePassword(input.password, input.email)) fail(ErrorType.WEAK_PASSWORD);
  let turns = registrationTurns.get(users);
  if (!turns) registrationTurns.set(users, (turns = createKeyedTurns()));
  return turns(emailKey(input.email), () => insertAccount(users, input));
}

async function insertAccount(users: DbAdapter, input: NewUser): Promise<UserRecord> {
  // A quick check spares the hashing work; the unique index is what actually decides a race
  // (between instances, or with an admin creating the same account).
  if (await findByEmail(users, input.email)) fail(ErrorType.EMAIL_TAKEN);
  const now = new Date().toISOString();
  const record = {
    email: input.email,
    emailKey: emailKey(input.email),
    name: input.name,
    locale: input.locale,
    role: input.role,
    active: true,
    passwordHash: await hashPassword(input.password),
    tokenVersion: 0,
    createdAt: now,
    updatedAt: now,
  };
  try {
    return (await users.insert(record)) as UserRecord;
  } catch (err) {
    if (isUniqueViolation(err)) fail(ErrorType.EMAIL_TAKEN);
    throw err;
  }
}

/** The active account with this e-mail and password; never tells which of the two was wrong. */
export async function checkCredentials(
  users: DbAdapter,
  email: string,
  password: string,
): Promise<UserRecord> {
  const user = await findByEmail(users, email);
  const hash = user ? user.passwordHash : await decoyHash;
  const matches = await verifyPassword(hash, password);
  if (!user || !matches) fail(ErrorType.INVALID_CREDENTIALS);
  if (!user.active) fail(ErrorType.ACCOUNT_DEACTIVATED);
  return user;
}

/**
 * The names of up to 100 users, for showing who made a reservation: `ids` as a comma-separated
 * string or a list. Unknown and erased accounts are left out; nothing but the name is told.
 */
export async function namesOf(
  users: DbAdapter,
  given: string | string[],
): Promise<{ id: string; name: string }[]> {
  const raw = typeof given === "string" ? given.split(",") : given;
  const ids = [...new Set(raw.map(id => id.trim()).filter(Boolean))];
  if (ids.length === 0 || ids.length > 100 || ids.some(id => id.length > 64))
    failValidation("ids", "arrayMax", "ids: give 1 to 100 user ids of at most 64 characters.");
  const found = await Promise.all(ids.map(id => findById(users, id)));
  return found
    .filter((user): user is UserRecord => user !== null)
    .map(user => ({ id: String(user._id), name: user.name }));
}

/**
 * A new password, after the current one: every token issued so far stops working, on every
 * device (the caller gets a new one). Refuses: VALIDATION_ERROR on `currentPassword` when it is
 * not right, WEAK_PASSWORD, CONCURRENT_UPDATE when the account changed meanwhile.
 */
export async function changePassword(
  users: DbAdapter,
  id: string,
  passwords: { currentPassword: string; newPassword: string },
): Promise<UserRecord> {
  const user = await findById(users, id);
  if (!user) fail(ErrorType.USER_NOT_FOUND);
  if (!(await verifyPassword(user.passwordHash, passwords.currentPassword))) {
    failValidation("currentPassword", "passwordMismatch", "The current password is not right.");
  }
  if (!isAcceptablePassword(passwords.newPassword, user.email)) fail(ErrorType.WEAK_PASSWORD);
  return endSessions(users, user, { passwordHash: await hashPassword(passwords.newPassword) });
}

/**
 * Ends every session of `user`: the tokens issued so far carry its token version, which this
 * raises (with `changes`, in the same write). Only if nothing else changed the version first,
 * so a deactivation or an erasure meanwhile is never undone.
 */
export async function endSessions(
  users: DbAdapter,
  user: UserRecord,
  changes: Partial<UserRecord> = {},
): Promise<UserRecord> {
  const next = {
    ...changes,
    tokenVersion: user.tokenVersion + 1,
    updatedAt: new Date().toISOString(),
  };
  const written = await users.updateMany(
    { _id: user._id, tokenVersion: user.tokenVersion },
    { $set: next },
  );
  if (written !== 1) fail(ErrorType.CONCURRENT_UPDATE);
  return { ...user, ...next };
}
