/** Shared set-up of the member page specs: spaces made through the API, dates ahead, tokens. */
import type { Page } from "playwright-core";
import type { HttpRequest } from "../support/http-client";
import { signInAdmin } from "../support/accounts";
import { uniqueName } from "../support/test-env";

export const ZONE = "Europe/Amsterdam";

/** Every day open all day, so a test never depends on the clock it runs at. */
export const ALWAYS_OPEN = Object.fromEntries(
  ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map(day => [
    day,
    [{ from: "00:00", to: "24:00" }],
  ]),
);

export interface TestSpace {
  id: string;
  name: string;
  timeZone: string;
}

export async function createSpace(
  request: HttpRequest,
  body: Record<string, unknown> = {},
): Promise<TestSpace> {
  const admin = await signInAdmin(request);
  const res = await request<TestSpace>("POST", "/api/spaces", {
    token: admin.token,
    json: {
      name: uniqueName("Kamer"),
      kind: "meeting-room",
      location: { site: "Utrecht", building: "Gebouw A", floor: "2" },
      capacity: 6,
      equipment: ["beamer", "whiteboard"],
      timeZone: ZONE,
      openingHours: ALWAYS_OPEN,
      ...body,
    },
  });
  if (res.status !== 201) throw new Error(`space: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** The calendar date `days` from now in Amsterdam, "YYYY-MM-DD". */
export function dateAhead(days: number): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: ZONE }).format(
    new Date(Date.now() + days * 86_400_000),
  );
}

/** "2027-03-29T10:00:00" read as Amsterdam time by the API (no offset: the space's zone). */
export const at = (date: string, time: string) => `${date}T${time}:00`;

export async function tokenOf(
  request: HttpRequest,
  account: { email: string; password: string },
): Promise<string> {
  const res = await request<{ token: string }>("POST", "/api/auth/login", {
    json: { email: account.email, password: account.password },
  });
  return res.body.token;
}

/** Presses Tab until the element matching `selector` has focus (keyboard-only flows). */
export async function tabTo(page: Page, selector: string, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate(s => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

/** Fills the Find form (by label) and searches. */
export async function search(
  page: Page,
  when: { date: string; start: string; end: string },
  labels = { date: "Datum", start: "Begintijd", end: "Eindtijd", submit: "Zoeken" },
) {
  await page.getByLabel(labels.date, { exact: true }).fill(when.date);
  await page.getByLabel(labels.start, { exact: true }).fill(when.start);
  await page.getByLabel(labels.end, { exact: true }).fill(when.end);
  await page.getByRole("button", { name: labels.submit, exact: true }).click();
  await page.locator("#results-title").waitFor();
}
