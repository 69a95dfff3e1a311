/** The events `users` publishes. Consumed by `reservations` and `notifications`. */

export const UserEvent = {
  ERASED: "user.erased",
} as const;

/** `by` is the id of the user who asked for the erasure (the person, or an admin). */
export interface UserEvents {
  [UserEvent.ERASED]: { userId: string; erasedAt: string; by: string };
}

export const USER_EVENTS = Object.values(UserEvent);
