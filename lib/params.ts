/**
 * Parameter schemas (fastest-validator) that several services' actions share. Plain data only:
 * the gateway receives action definitions as JSON and builds the API document from them.
 */

/** A record's id: a UUID made by a service, or a store's own id. */
export const idParam = { type: "string", min: 1, max: 64 } as const;

/** An ISO 8601 instant; its content is checked by `parseInstant` (lib/time.ts). */
export const instantParam = { type: "string", min: 10, max: 40 } as const;

/** C0 and C1 control characters, as a pattern's character range (no flags: JSON Schema has none). */
const CONTROLS = "\\u0000-\\u001f\\u007f-\\u009f";

/**
 * Text a person reads on one line: a name, a title, a site. No control characters: a line break
 * in a name or a title reached the organisation's e-mails as lines of the sender's making, so
 * anyone who registered with a stranger's address could have the organisation mail them text
 * that looked like its own.
 */
export function lineTextParam(limits: { min?: number; max: number }) {
  return {
    type: "string",
    trim: true,
    ...limits,
    pattern: `^[^${CONTROLS}]*$`,
    messages: {
      stringPattern:
        "The '{field}' field may not contain line breaks, tabs or other control characters.",
    },
  } as const;
}

/** Text of several lines (a description, a reason): line breaks and tabs, no other controls. */
export function paragraphTextParam(limits: { max: number }) {
  return {
    type: "string",
    trim: true,
    ...limits,
    pattern: "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*$",
    messages: { stringPattern: "The '{field}' field may not contain control characters." },
  } as const;
}
