/**
 * Parameter schemas (fastest-validator) that several services' actions share. Plain data only:
 * the gateway receives action definitions as JSON and builds the API document from them.
 */

/** A record's id: a UUID made by a service, or a store's own id. */
export const idParam = { type: "string", min: 1, max: 64 } as const;

/** An ISO 8601 instant; its content is checked by `parseInstant` (lib/time.ts). */
export const instantParam = { type: "string", min: 10, max: 40 } as const;
