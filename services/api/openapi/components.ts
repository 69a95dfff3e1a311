/**
 * The bodies the REST API answers with, written by hand from what the actions return
 * (`toPublicUser`, `toPublicSpace`, `toPublicReservation`, the availability, notification and
 * utilisation actions). Request bodies are not here: they are converted from each action's
 * `params`, so they cannot drift from what is validated.
 */
import { ROLES } from "../../../lib/auth";
import { ErrorType } from "../../../lib/errors";
import { WEEKDAYS } from "../../../lib/bookable-space";
import {
  EMAIL_STATES,
  GROUP_BY,
  NOTIFICATION_KINDS,
  UNAVAILABLE_REASONS,
} from "../../../lib/public-contracts";
import { SPACE_KINDS } from "../../../lib/events/space-events";
import { ref, type JsonSchema } from "./json-schema";

const LOCALES = ["nl", "en"];

const instant: JsonSchema = {
  type: "string",
  format: "date-time",
  description: "An instant in UTC, e.g. 2026-03-30T07:00:00.000Z.",
};
const id: JsonSchema = { type: "string" };
const count: JsonSchema = { type: "integer", minimum: 0 };

const object = (
  properties: Record<string, JsonSchema>,
  optional: string[] = [],
  description?: string,
): JsonSchema => ({
  type: "object",
  ...(description ? { description } : {}),
  properties,
  required: Object.keys(properties).filter(name => !optional.includes(name)),
});

const arrayOf = (items: JsonSchema): JsonSchema => ({ type: "array", items });

/** A page of `rows`, as every list answers (lib/paging.ts). */
const pageOf = (row: string, extra: Record<string, JsonSchema> = {}): JsonSchema => ({
  allOf: [ref("Page"), object({ rows: arrayOf(ref(row)), ...extra })],
});

export const COMPONENT_SCHEMAS = {
  Error: {
    ...object({
      name: { type: "string", enum: ["MindSpacesError", "InternalError"] },
      message: {
        type: "string",
        description: "For people: in the user's language, else Accept-Language, else the default.",
      },
      code: { type: "integer", minimum: 400, maximum: 599, description: "The HTTP status." },
      type: {
        type: "string",
        enum: Object.values(ErrorType),
        description: "For programs: a stable code to branch on.",
      },
      data: {
        description:
          "Details for some types, otherwise null. VALIDATION_ERROR: a list of { field, rule, " +
          "message }; RESERVATION_CONFLICT: { conflicts: [{ start, end }] }; booking rules: " +
          "{ rule }; SPACE_HAS_RESERVATIONS: { upcoming }; WINDOW_TOO_LARGE: { maxDays }; " +
          "OPERATOR_NOT_ALLOWED: { field }; SERVICE_UNAVAILABLE: { service } when a service has " +
          "no running instance.",
        anyOf: [{ type: "null" }, arrayOf(ref("ValidationProblem")), { type: "object" }],
      },
    }),
    additionalProperties: false,
  },
  ValidationProblem: object({
    field: { type: "string" },
    rule: { type: "string", description: "The rule that failed, e.g. required, stringMax." },
    message: { type: "string" },
  }),

  User: object({
    id,
    email: { type: "string", format: "email" },
    name: { type: "string" },
    locale: { type: "string", enum: LOCALES },
    role: { type: "string", enum: [...ROLES] },
    active: { type: "boolean" },
    createdAt: instant,
    updatedAt: instant,
  }),
  Session: object({
    token: { type: "string", description: "Send as `Authorization: Bearer <token>`." },
    user: ref("User"),
  }),
  Erasure: object({ erased: { const: true }, userId: id }),
  SignedOut: object({ signedOut: { const: true } }),
  UserExport: object(
    {
      exportedAt: instant,
      account: ref("User"),
      reservations: arrayOf(ref("Reservation")),
      reservationsCancelledForOthers: arrayOf(
        object({ id, spaceId: id, start: instant, end: instant, cancelledAt: instant }, [
          "cancelledAt",
        ]),
      ),
      notifications: object({
        notifications: arrayOf({
          allOf: [
            ref("Notification"),
            object(
              {
                email: {
                  type: "string",
                  enum: [...EMAIL_STATES],
                  description:
                    "What became of its e-mail: pending (owed), sending, sent (the mail server " +
                    "accepted it), logged (no mail server configured: only written to the " +
                    "server's log, never received), none (no address).",
                },
                emailNote: {
                  type: "string",
                  description: "Why nobody received the e-mail (logged, none), in your language.",
                },
              },
              ["emailNote"],
            ),
          ],
        }),
        reminders: arrayOf(
          object(
            {
              reservationId: id,
              remindAt: instant,
              status: { type: "string", enum: ["scheduled", "sent", "cancelled", "missed"] },
            },
            ["remindAt"],
          ),
        ),
      }),
      reports: { type: "null", description: "Reports hold no personal data." },
    },
    [],
    "Everything MindSpaces holds about the signed-in user.",
  ),

  Page: object({ total: count, page: count, pageSize: count, totalPages: count }),
  UserPage: pageOf("User"),
  SpacePage: pageOf("SpaceSearchResult"),
  ReservationPage: pageOf("Reservation"),
  NotificationPage: pageOf("Notification", { unread: count }),

  Location: object(
    { site: { type: "string" }, building: { type: "string" }, floor: { type: "string" } },
    ["building", "floor"],
  ),
  OpeningRange: object(
    { from: { type: "string" }, to: { type: "string" } },
    [],
    'Local wall-clock time "HH:mm"; "24:00" is the end of the day.',
  ),
  OpeningHours: object(
    Object.fromEntries(WEEKDAYS.map(day => [day, arrayOf(ref("OpeningRange"))])),
    [],
    "Per weekday, in the space's own time zone; [] is closed.",
  ),
  BookingRules: object({
    minMinutes: count,
    maxMinutes: count,
    horizonDays: { ...count, description: "How many days ahead one may book." },
    slotMinutes: { ...count, description: "Bookings start and end on this grid, local time." },
  }),
  UserNames: arrayOf(object({ id, name: { type: "string" } })),
  SpaceFacets: object({
    sites: arrayOf({ type: "string" }),
    equipment: arrayOf({ type: "string" }),
  }),
  Space: object({
    id,
    name: { type: "string" },
    kind: { type: "string", enum: [...SPACE_KINDS] },
    location: ref("Location"),
    capacity: { type: "integer", minimum: 1 },
    equipment: arrayOf({ type: "string" }),
    description: { type: "string" },
    timeZone: {
      type: "string",
      description: "IANA time zone, e.g. Europe/Amsterdam; not a fixed offset such as +01:00.",
    },
    openingHours: ref("OpeningHours"),
    rules: ref("BookingRules"),
    active: { type: "boolean" },
    createdAt: instant,
    updatedAt: instant,
  }),
  SpaceSearchResult: {
    allOf: [
      ref("Space"),
      object(
        {
          free: { type: "boolean" },
          unavailable: {
            type: "string",
            enum: [...UNAVAILABLE_REASONS],
            description:
              "Only on a space that is not free: why, as the error type a booking would get.",
          },
        },
        ["free", "unavailable"],
        "`free` only when the search gave `from` and `to`: open, within the rules, not booked.",
      ),
    ],
  },
  DeactivatedSpace: {
    allOf: [
      ref("Space"),
      object(
        { cancelledReservations: count },
        ["cancelledReservations"],
        "`cancelledReservations` when this request switched the space off; absent when it " +
          "was off already.",
      ),
    ],
  },

  Reservation: object(
    {
      id,
      spaceId: id,
      ownerId: { type: "string", description: '"erased" once the owner was erased.' },
      title: { type: "string" },
      start: instant,
      end: instant,
      status: { type: "string", enum: ["confirmed", "cancelled"] },
      createdAt: instant,
      updatedAt: instant,
      cancelledAt: instant,
      cancellationNote: {
        type: "string",
        description: "Why a manager cancelled it, in their words, for the owner.",
      },
    },
    ["cancelledAt", "cancellationNote"],
  ),
  Interval: object({ start: instant, end: instant }),
  Availability: object({
    spaceId: id,
    timeZone: { type: "string" },
    from: instant,
    to: instant,
    rules: ref("BookingRules"),
    busy: arrayOf(
      object(
        {
          start: instant,
          end: instant,
          mine: { type: "boolean" },
          reservationId: id,
          title: { type: "string" },
        },
        ["reservationId", "title"],
        "Confirmed reservations; `reservationId` and `title` only for the owner, managers and admins.",
      ),
    ),
    free: {
      ...arrayOf(ref("Interval")),
      description: "Open, bookable time in the window that nobody has booked.",
    },
  }),

  Notification: object({
    id,
    kind: { type: "string", enum: [...NOTIFICATION_KINDS] },
    message: { type: "string", description: "In the user's language." },
    read: { type: "boolean" },
    createdAt: instant,
    reservation: object({
      id,
      spaceName: { type: "string" },
      timeZone: { type: "string" },
      start: instant,
      end: instant,
      title: { type: "string" },
    }),
  }),
  MarkedAllRead: object({ marked: count, unread: { const: 0 } }),

  Utilization: object({
    from: instant,
    to: instant,
    groupBy: { type: "string", enum: [...GROUP_BY] },
    rows: arrayOf(ref("UtilizationRow")),
  }),
  UtilizationRow: object(
    {
      group: { type: "string", description: "The space's id, or the site when by location." },
      site: { type: "string" },
      space: { type: "string", description: "The space's name; absent when by location." },
      spaces: count,
      openHours: { type: "number", minimum: 0 },
      bookedHours: { type: "number", minimum: 0 },
      utilization: {
        type: ["number", "null"],
        description: "bookedHours / openHours; null when the group was not open in the window.",
      },
      reservations: count,
      cancellations: count,
    },
    ["space"],
  ),

  Health: object(
    {
      status: { type: "string", enum: ["ok", "disconnected"] },
      ready: {
        type: "boolean",
        description: "Every service the gateway routes to has an instance.",
      },
      node: { type: "string" },
      uptimeSeconds: count,
      transporter: { type: "string", enum: ["connected", "disconnected", "none"] },
      services: { type: "object", additionalProperties: { type: "boolean" } },
    },
    ["node", "uptimeSeconds", "transporter", "services"],
    "The details besides status and ready are shown to admins only.",
  ),
  OpenApiDocument: object(
    { openapi: { const: "3.1.0" }, info: { type: "object" }, paths: { type: "object" } },
    [],
    "An OpenAPI 3.1 document: this one.",
  ),
} satisfies Record<string, JsonSchema>;

export type SchemaName = keyof typeof COMPONENT_SCHEMAS;
