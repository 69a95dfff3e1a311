/**
 * The events `spaces` publishes, and the space as it crosses services (in these events, over
 * the REST API, and as `spaces.get` answers `reservations` and `notifications`). Consumed by
 * `reports`.
 */
import type { BookingRules, OpeningHours } from "../bookable-space";

export const SPACE_KINDS = ["meeting-room", "workspace", "desk", "other"] as const;
export type SpaceKind = (typeof SPACE_KINDS)[number];

export interface SpaceLocation {
  site: string;
  building?: string;
  floor?: string;
}

/** A space as clients and other services see it. */
export interface PublicSpace {
  id: string;
  name: string;
  kind: SpaceKind;
  location: SpaceLocation;
  capacity: number;
  equipment: string[];
  description: string;
  timeZone: string;
  openingHours: OpeningHours;
  rules: BookingRules;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export const SpaceEvent = {
  CREATED: "space.created",
  UPDATED: "space.updated",
  DEACTIVATED: "space.deactivated",
} as const;

/** `by` is the id of the user who made the change. */
export interface SpaceEvents {
  [SpaceEvent.CREATED]: { space: PublicSpace; by: string };
  [SpaceEvent.UPDATED]: { space: PublicSpace; by: string };
  [SpaceEvent.DEACTIVATED]: { space: PublicSpace; by: string };
}

export const SPACE_EVENTS = Object.values(SpaceEvent);
