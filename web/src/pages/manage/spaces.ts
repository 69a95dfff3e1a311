/** A space as the API shows it, and the checks the space form does before it asks the server. */
import { t } from "../../i18n/locale.svelte";
import type { MessageKey } from "../../i18n/messages";
import type { FieldError } from "../../lib/form-errors";

export const SPACE_KINDS = ["meeting-room", "workspace", "desk", "other"] as const;
export type SpaceKind = (typeof SPACE_KINDS)[number];
export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export const SLOT_MINUTES = [15, 30, 45, 60, 90, 120, 240, 480, 1440] as const;

export interface TimeRange {
  from: string;
  to: string;
}
export type OpeningHours = Record<Weekday, TimeRange[]>;
export interface BookingRules {
  minMinutes: number;
  maxMinutes: number;
  horizonDays: number;
  slotMinutes: number;
}

export interface Space {
  id: string;
  name: string;
  kind: SpaceKind;
  location: { site: string; building?: string; floor?: string };
  capacity: number;
  equipment: string[];
  description: string;
  timeZone: string;
  openingHours: OpeningHours;
  rules: BookingRules;
  active: boolean;
}

export interface SpacePage {
  rows: Space[];
  total: number;
  page: number;
  pageSize: number;
  totalPages: number;
}

export const kindKey = (kind: SpaceKind) => `kind.${kind}` as MessageKey;
export const dayKey = (day: Weekday) => `day.${day}` as MessageKey;

export function locationText(space: Pick<Space, "location">): string {
  const { site, building, floor } = space.location;
  return [site, building, floor].filter(Boolean).join(", ");
}

/** The form's state: numbers as the text the user typed, so a wrong entry can be shown back. */
export interface SpaceFormState {
  name: string;
  kind: SpaceKind;
  site: string;
  building: string;
  floor: string;
  capacity: string;
  equipment: string;
  description: string;
  timeZone: string;
  openingHours: OpeningHours;
  minMinutes: string;
  maxMinutes: string;
  horizonDays: string;
  slotMinutes: string;
}

export function emptyForm(): SpaceFormState {
  const workday = () => [{ from: "08:00", to: "18:00" }];
  return {
    name: "",
    kind: "meeting-room",
    site: "",
    building: "",
    floor: "",
    capacity: "",
    equipment: "",
    description: "",
    timeZone: "Europe/Amsterdam",
    openingHours: {
      mon: workday(),
      tue: workday(),
      wed: workday(),
      thu: workday(),
      fri: workday(),
      sat: [],
      sun: [],
    },
    minMinutes: "15",
    maxMinutes: "480",
    horizonDays: "90",
    slotMinutes: "15",
  };
}

/**
 * A time input cannot show 24:00, so the form writes the end of the day as 00:00: an end time
 * of 00:00 means midnight at the end of the day.
 */
const endToForm = (to: string) => (to === "24:00" ? "00:00" : to);
const endFromForm = (to: string) => (to === "00:00" ? "24:00" : to);

export function formFromSpace(space: Space): SpaceFormState {
  return {
    name: space.name,
    kind: space.kind,
    site: space.location.site,
    building: space.location.building ?? "",
    floor: space.location.floor ?? "",
    capacity: String(space.capacity),
    equipment: space.equipment.join(", "),
    description: space.description ?? "",
    timeZone: space.timeZone,
    openingHours: Object.fromEntries(
      WEEKDAYS.map(day => [
        day,
        (space.openingHours[day] ?? []).map(range => ({
          from: range.from,
          to: endToForm(range.to),
        })),
      ]),
    ) as OpeningHours,
    minMinutes: String(space.rules.minMinutes),
    maxMinutes: String(space.rules.maxMinutes),
    horizonDays: String(space.rules.horizonDays),
    slotMinutes: String(space.rules.slotMinutes),
  };
}

export function equipmentList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(",")
        // "Smart TV" is meant as the tag smart-tv: only the letters' case and the spaces differ.
        .map(tag => tag.trim().toLowerCase().replace(/\s+/g, "-"))
        .filter(Boolean),
    ),
  ];
}

/** The body for POST/PATCH /api/spaces. */
export function spaceBody(form: SpaceFormState) {
  const location: Space["location"] = { site: form.site.trim() };
  if (form.building.trim()) location.building = form.building.trim();
  if (form.floor.trim()) location.floor = form.floor.trim();
  return {
    name: form.name.trim(),
    kind: form.kind,
    location,
    capacity: Number(form.capacity),
    equipment: equipmentList(form.equipment),
    description: form.description.trim(),
    timeZone: form.timeZone,
    openingHours: Object.fromEntries(
      WEEKDAYS.map(day => [
        day,
        form.openingHours[day].map(range => ({ from: range.from, to: endFromForm(range.to) })),
      ]),
    ) as OpeningHours,
    rules: {
      minMinutes: Number(form.minMinutes),
      maxMinutes: Number(form.maxMinutes),
      horizonDays: Number(form.horizonDays),
      slotMinutes: Number(form.slotMinutes),
    },
  };
}

/** Input ids, shared by the form and the checks. */
export const rangeId = (day: Weekday, index: number, end: "from" | "to") =>
  `hours-${day}-${index}-${end}`;

export function checkWholeNumber(
  value: string,
  field: { id: string; label: string },
  min: number,
  max: number,
): FieldError | null {
  const number = Number(value);
  if (value.trim() !== "" && Number.isInteger(number) && number >= min && number <= max)
    return null;
  return { fieldId: field.id, message: t("check.wholeNumber", { field: field.label, min, max }) };
}

export function checkEquipment(value: string, field: { id: string; label: string }) {
  return equipmentList(value).every(tag => /^[a-z0-9][a-z0-9-]{0,39}$/.test(tag))
    ? null
    : { fieldId: field.id, message: t("check.equipment", { field: field.label }) };
}

/** Each range runs forwards; ranges of one day do not overlap. */
export function checkOpeningHours(hours: OpeningHours): FieldError[] {
  const errors: FieldError[] = [];
  for (const day of WEEKDAYS) {
    const dayName = t(dayKey(day));
    const ranges = hours[day].map(range => ({
      from: range.from,
      to: range.to && endFromForm(range.to),
    }));
    let dayOk = true;
    ranges.forEach((range, index) => {
      const n = index + 1;
      if (!range.from || !range.to) {
        errors.push({
          fieldId: rangeId(day, index, range.from ? "to" : "from"),
          message: t("check.time", { day: dayName, n }),
        });
        dayOk = false;
      } else if (range.from >= range.to) {
        errors.push({
          fieldId: rangeId(day, index, "to"),
          message: t("check.range", { day: dayName, n }),
        });
        dayOk = false;
      }
    });
    if (!dayOk) continue;
    const sorted = ranges
      .map((range, index) => ({ ...range, index }))
      .sort((a, b) => a.from.localeCompare(b.from));
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i].from < sorted[i - 1].to) {
        errors.push({
          fieldId: rangeId(day, sorted[i].index, "from"),
          message: t("check.overlap", { day: dayName }),
        });
        break;
      }
    }
  }
  return errors;
}
