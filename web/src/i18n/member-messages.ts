/** Texts of the member pages (find, space, reservations, notifications, profile), in Dutch and English. */
import type { Texts } from "./texts";

export const memberMessages = {} satisfies Record<string, Texts>;
