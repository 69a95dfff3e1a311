/** A space as the API shows it, read once per page view and kept for the names in lists. */
import { t } from "../i18n/locale.svelte";
import { api } from "./api";

export interface OpeningRange {
  from: string;
  to: string;
}

export interface Space {
  id: string;
  name: string;
  kind: "meeting-room" | "workspace" | "desk" | "other";
  location: { site: string; building?: string; floor?: string };
  capacity: number;
  equipment: string[];
  description: string;
  timeZone: string;
  openingHours: Record<"mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun", OpeningRange[]>;
  rules: { minMinutes: number; maxMinutes: number; horizonDays: number; slotMinutes: number };
  active: boolean;
  free?: boolean;
  /** Only on a search result that is not free: why, as the error type a booking would get. */
  unavailable?: string;
}

export interface Page<T> {
  rows: T[];
  total: number;
  page: number;
  pageSize: number;
  totalPages: number;
}

export interface Reservation {
  id: string;
  spaceId: string;
  ownerId: string;
  title: string;
  start: string;
  end: string;
  status: "confirmed" | "cancelled" | "pending";
  cancelledAt?: string;
  cancellationNote?: string;
}

const cache = new Map<string, Promise<Space>>();

export function loadSpace(id: string): Promise<Space> {
  let pending = cache.get(id);
  if (!pending) {
    pending = api.get<Space>(`/api/spaces/${encodeURIComponent(id)}`);
    pending.catch(() => cache.delete(id));
    cache.set(id, pending);
  }
  return pending;
}

/** "tot 6 personen", or "1 persoon". */
export function capacityOf(space: Pick<Space, "capacity">): string {
  return space.capacity === 1
    ? t("space.capacityOne")
    : t("space.capacityValue", { count: space.capacity });
}

/** "Gebouw A, 2e verdieping" style: site, building and floor as far as known. */
export function placeOf(space: Pick<Space, "location">): string {
  const { site, building, floor } = space.location;
  return [site, building, floor].filter(Boolean).join(", ");
}
