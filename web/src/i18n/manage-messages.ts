/** Texts of the manager and admin pages (spaces, reports, users), in Dutch and English. */
import type { Texts } from "./texts";

export const manageMessages = {} satisfies Record<string, Texts>;
