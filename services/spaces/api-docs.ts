/**
 * How the spaces actions the gateway routes appear in the API document
 * (services/api/openapi): summary, response and the error types each raises.
 */
import type { ActionSchema } from "moleculer";
import { ErrorType } from "../../lib/errors";
type OperationDocs = NonNullable<ActionSchema["openapi"]>;

export const apiDocs = {
  facets: {
    summary: "Sites and equipment to search by",
    response: {
      schema: "SpaceFacets",
      description: "The sites and equipment tags of the active spaces, each once, sorted.",
    },
  },
  create: {
    summary: "Add a space",
    response: { status: 201, schema: "Space", description: "The new space." },
  },
  get: {
    summary: "One space",
    response: { schema: "Space", description: "The space, active or not." },
    errors: [ErrorType.SPACE_NOT_FOUND],
  },
  update: {
    summary: "Change a space",
    response: { schema: "Space", description: "The space as changed." },
    errors: [ErrorType.SPACE_NOT_FOUND],
  },
  deactivate: {
    summary: "Take a space out of use",
    description:
      "Spaces are never deleted. Refused while it has upcoming reservations, unless " +
      "`cancelReservations=true`, which cancels them.",
    response: { schema: "DeactivatedSpace", description: "The space, now inactive." },
    errors: [ErrorType.SPACE_NOT_FOUND, ErrorType.SPACE_HAS_RESERVATIONS],
  },
  search: {
    summary: "Find spaces",
    description:
      "Active spaces, closest fit in capacity first; `equipment` as a comma-separated list or " +
      "repeated. With `from` and `to` (at most 62 days apart), each says whether it is `free`, " +
      "and free ones come first.",
    response: { schema: "SpacePage", description: "One page of spaces." },
    errors: [ErrorType.INVALID_WINDOW, ErrorType.WINDOW_TOO_LARGE],
  },
} satisfies Record<string, OperationDocs>;
