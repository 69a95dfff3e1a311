/** What a search form can offer: the sites and equipment tags of the given spaces. */
import type { SpaceRecord } from "./space-record";

/**
 * Each site once (as first written; sites compare without letter case) and each equipment tag
 * once (as stored), both sorted the Dutch way.
 */
export function facetsOf(records: Pick<SpaceRecord, "siteKey" | "location" | "equipment">[]) {
  const sites = new Map<string, string>();
  const equipment = new Set<string>();
  for (const record of records) {
    if (!sites.has(record.siteKey)) sites.set(record.siteKey, record.location.site);
    for (const tag of record.equipment) equipment.add(tag);
  }
  const byName = (a: string, b: string) => a.localeCompare(b, "nl");
  return { sites: [...sites.values()].sort(byName), equipment: [...equipment].sort(byName) };
}
