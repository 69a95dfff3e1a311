/**
 * How the users actions the gateway routes appear in the API document
 * (services/api/openapi): summary, response and the error types each raises.
 */
import type { ActionSchema } from "moleculer";
import { ErrorType } from "../../lib/errors";
type OperationDocs = NonNullable<ActionSchema["openapi"]>;

export const apiDocs = {
  register: {
    summary: "Create a member account and sign in",
    response: { status: 201, schema: "Session", description: "The account, signed in." },
    errors: [ErrorType.REGISTRATION_CLOSED, ErrorType.WEAK_PASSWORD, ErrorType.EMAIL_TAKEN],
  },
  login: {
    summary: "Sign in",
    response: { schema: "Session", description: "Signed in." },
    errors: [ErrorType.INVALID_CREDENTIALS, ErrorType.ACCOUNT_DEACTIVATED],
  },
  me: {
    summary: "Your own profile",
    response: { schema: "User", description: "The signed-in user." },
    errors: [ErrorType.USER_NOT_FOUND],
  },
  updateMe: {
    summary: "Change your own name or language",
    response: { schema: "User", description: "The profile as changed." },
    errors: [ErrorType.USER_NOT_FOUND],
  },
  changePassword: {
    summary: "Change your password",
    description:
      "Needs the current password. Every token issued before stops working, on every device; " +
      "the answer is a new session to go on with.",
    response: { schema: "Session", description: "Signed in with the new password." },
    errors: [
      ErrorType.WEAK_PASSWORD,
      ErrorType.USER_NOT_FOUND,
      ErrorType.CONCURRENT_UPDATE,
      ErrorType.RATE_LIMITED,
    ],
  },
  endSessions: {
    summary: "Sign out on every device",
    description: "Every token issued so far stops working, the one sent with this request too.",
    response: { schema: "SignedOut", description: "Signed out everywhere." },
    errors: [ErrorType.USER_NOT_FOUND, ErrorType.CONCURRENT_UPDATE],
  },
  names: {
    summary: "Names of users by id",
    description:
      "For showing who made a reservation: up to 100 ids, comma-separated. Unknown and " +
      "erased accounts are left out; nothing but the name is told.",
    response: { schema: "UserNames", description: "The known users' names." },
  },
  list: {
    summary: "List users, newest first",
    response: { schema: "UserPage", description: "One page of users." },
  },
  update: {
    summary: "Change a user's role, or deactivate or reactivate them",
    description: "Deactivating revokes every token the user holds.",
    response: { schema: "User", description: "The user as changed." },
    errors: [ErrorType.USER_NOT_FOUND, ErrorType.LAST_ADMIN, ErrorType.CONCURRENT_UPDATE],
  },
  exportMe: {
    summary: "Everything MindSpaces holds about you (GDPR export)",
    response: {
      schema: "UserExport",
      description: "One JSON document, offered as a download.",
      attachment: true,
    },
    errors: [ErrorType.USER_NOT_FOUND],
  },
  eraseMe: {
    summary: "Erase your account (GDPR)",
    description:
      "Upcoming reservations are cancelled; past ones keep only space and time; notifications are deleted.",
    response: { schema: "Erasure", description: "The account is erased." },
    errors: [ErrorType.USER_NOT_FOUND, ErrorType.LAST_ADMIN, ErrorType.CONCURRENT_UPDATE],
  },
  erase: {
    summary: "Erase another user's account (GDPR)",
    response: { schema: "Erasure", description: "The account is erased." },
    errors: [ErrorType.USER_NOT_FOUND, ErrorType.LAST_ADMIN, ErrorType.CONCURRENT_UPDATE],
  },
} satisfies Record<string, OperationDocs>;
