/**
 * Which time zones a space (or the default, `TZ_DEFAULT`) may have: an IANA name such as
 * Europe/Amsterdam, checked by luxon, which asks ICU.
 */
import { IANAZone } from "luxon";

/**
 * Zones found valid so far. luxon's check builds an `Intl.DateTimeFormat` on every call, which
 * costs ICU tens of KB of small native allocations that live until the collector frees the
 * formatter; one per space written kept the allocator's heap fragmented (RSS after seeding
 * 2,000 spaces). A name that is valid stays valid; the bound only guards against a flood of
 * spellings (ICU accepts any letter case).
 */
const validZones = new Set<string>();
const VALID_ZONES_MAX = 1_000;

/**
 * An offset such as "+01:00" is no place's time zone: a space given one would keep winter time
 * all summer, and its opening hours and bookings would be an hour off for half the year. Node
 * 22's ICU accepts offsets as zones (Node 20's did not), so they are refused here, as are IANA's
 * own fixed offsets (`Etc/GMT-1`); `UTC` and `Etc/GMT` stay, for spaces that want no local time.
 */
const OFFSET_ZONE = /^([+-]|etc\/gmt[+-]0*[1-9])/i;

export function isValidTimeZone(zone: string): boolean {
  if (validZones.has(zone)) return true;
  const valid = !OFFSET_ZONE.test(zone) && IANAZone.isValidZone(zone);
  if (valid) {
    if (validZones.size >= VALID_ZONES_MAX) validZones.clear();
    validZones.add(zone);
  }
  return valid;
}
