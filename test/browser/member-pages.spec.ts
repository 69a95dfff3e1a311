/**
 * The member pages after Find: a space's page (details, availability for a day and a week,
 * booking from a free time), My reservations (change, cancel, calendar file, a manager's
 * reason), Notifications (mark one and all read; the header count follows). Each in Dutch and
 * English with axe, and screenshots at 1280 and 360 px.
 */
import fs from "node:fs";
import path from "node:path";
import {
  DESKTOP,
  NARROW,
  SCREENSHOT_DIR,
  expectHeading,
  expectNoAxeViolations,
  newMember,
  screenshot,
  signIn,
  switchLanguage,
  useBrowserSystem,
} from "../support/browser";
import { signInAdmin } from "../support/accounts";
import { at, createSpace, dateAhead, tokenOf } from "./member-helpers";

jest.setTimeout(180_000);

const web = useBrowserSystem();

async function reserve(token: string, spaceId: string, date: string, start: string, end: string) {
  const res = await web.system.request<{ id: string }>("POST", "/api/reservations", {
    token,
    json: { spaceId, start: at(date, start), end: at(date, end), title: "Teamoverleg" },
  });
  if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  return res.body;
}

it("shows a space with its availability for a day and a week, and books a free time", async () => {
  const space = await createSpace(web.system.request, {
    name: "Zonnebloem",
    description: "Lichte ruimte aan de tuinkant.",
    openingHours: {
      mon: [{ from: "08:00", to: "18:00" }],
      tue: [{ from: "08:00", to: "18:00" }],
      wed: [{ from: "08:00", to: "18:00" }],
      thu: [{ from: "08:00", to: "18:00" }],
      fri: [{ from: "08:00", to: "18:00" }],
      sat: [{ from: "08:00", to: "18:00" }],
      sun: [{ from: "08:00", to: "18:00" }],
    },
  });
  const member = await newMember(web.system.request);
  const other = await newMember(web.system.request, "Bram Jansen");
  const date = dateAhead(12);
  await reserve(await tokenOf(web.system.request, other), space.id, date, "09:00", "10:00");

  const { page } = await web.open();
  await signIn(page, member);
  await page.goto(`/spaces/${space.id}`);
  await expectHeading(page, "Zonnebloem");
  await page.waitForFunction(() => document.title === "Zonnebloem – MindSpaces");
  // A member's texts, not the manager's form labels that once shared their keys.
  await page.getByText(/Tijden op deze pagina zijn in tijdzone Europe\/Amsterdam/).waitFor();
  expect(await page.locator("dt").getByText("Aanwezig", { exact: true }).count()).toBe(1);
  await page.getByLabel("Datum", { exact: true }).first().fill(date);
  await page.getByRole("button", { name: "Toon beschikbaarheid" }).click();
  const table = page.locator("table.availability");
  await table.locator("caption").filter({ hasText: "Vrij en bezet" }).waitFor();
  await page.waitForLoadState("networkidle");
  const rows = await table.locator("tbody tr").allInnerTexts();
  expect(rows[0]).toMatch(/08:00.10:00|08:00.09:00/);
  expect(rows.join("\n")).toContain("Bezet");
  expect(rows.join("\n")).toContain("Vrij");
  expect(rows.some(row => row.includes("09:00") && row.includes("Bezet"))).toBe(true);
  await expectNoAxeViolations(page);
  await screenshot(page, "member-space");

  // A free time from the table fills the booking form; one click books it.
  await table.getByRole("button", { name: /Kies deze tijd.*10:00/ }).click();
  expect(await page.inputValue("#book-start")).toBe("10:00");
  expect(await page.inputValue("#book-end")).toBe("11:00");
  await page.getByLabel("Onderwerp (mag leeg blijven)").fill("Scholing");
  await page.getByRole("button", { name: "Reserveer", exact: true }).click();
  await page.getByRole("heading", { name: "Uw reservering is gemaakt" }).waitFor();
  await page.waitForLoadState("networkidle");
  await table.locator("tbody tr", { hasText: "(uw reservering)" }).waitFor({ timeout: 5000 });

  // The same time again: refused, said beside the form, where the focus goes; the confirmation
  // of the first booking does not stand beside it.
  await page.getByRole("button", { name: "Reserveer", exact: true }).click();
  await page.locator("p.refusal").waitFor();
  expect(await page.evaluate(() => document.activeElement?.className)).toContain("refusal");
  expect(await page.getByRole("heading", { name: "Uw reservering is gemaakt" }).count()).toBe(0);

  // A week.
  await page.getByLabel("Een week vanaf deze datum").check();
  await page.getByRole("button", { name: "Toon beschikbaarheid" }).click();
  await table.locator("caption").filter({ hasText: "tot en met" }).waitFor();
  expect(await table.locator("tbody tr").count()).toBeGreaterThanOrEqual(7);
  await screenshot(page, "member-space-week");

  await switchLanguage(page, "English");
  await page.getByRole("button", { name: "Show availability" }).click();
  await table.locator("caption").filter({ hasText: "Free and busy" }).waitFor();
  expect((await table.locator("tbody tr").allInnerTexts()).join("\n")).toMatch(/Free/);
  expect((await table.locator("tbody tr").allInnerTexts()).join("\n")).toMatch(/Busy/);
  await expectNoAxeViolations(page);
  await screenshot(page, "member-space");
});

it("lists my reservations: change, cancel with confirmation, calendar file, a manager's reason", async () => {
  const space = await createSpace(web.system.request, { name: "Lindeboom" });
  const member = await newMember(web.system.request);
  const token = await tokenOf(web.system.request, member);
  const date = dateAhead(14);
  const first = await reserve(token, space.id, date, "09:00", "10:00");
  await reserve(token, space.id, date, "13:00", "14:00");
  const third = await reserve(token, space.id, dateAhead(15), "09:00", "10:00");
  const admin = await signInAdmin(web.system.request);
  await web.system.request("DELETE", `/api/reservations/${third.id}`, {
    token: admin.token,
    json: { reason: "Lekkage in de ruimte" },
  });

  const { page } = await web.open();
  await signIn(page, member);
  await page.getByRole("link", { name: "Mijn reserveringen" }).click();
  await expectHeading(page, "Mijn reserveringen");
  const items = page.locator("li.reservation");
  await items.first().waitFor();
  expect(await items.count()).toBe(3);
  expect(await items.nth(0).innerText()).toContain("09:00");
  expect(await items.nth(2).innerText()).toContain("Geannuleerd");
  expect(await items.nth(2).innerText()).toContain("Lekkage in de ruimte");
  await expectNoAxeViolations(page);
  await screenshot(page, "member-reservations");

  // Reschedule and retitle the first.
  await items
    .nth(0)
    .getByRole("button", { name: /^Wijzigen/ })
    .click();
  await page.locator(`#start-${first.id}`).fill("11:00");
  await page.locator(`#end-${first.id}`).fill("12:00");
  await page.locator(`#title-${first.id}`).fill("Intervisie");
  await expectNoAxeViolations(page);
  await page.getByRole("button", { name: "Wijziging opslaan" }).click();
  await page.locator(".status-success").filter({ hasText: "gewijzigd" }).waitFor();
  const moved = await web.system.request<{ start: string; title: string }>(
    "GET",
    `/api/reservations/${first.id}`,
    { token },
  );
  expect(moved.body.title).toBe("Intervisie");
  expect(new Date(moved.body.start).toISOString()).toBe(
    new Date(`${date}T11:00:00${offsetOf(date)}`).toISOString(),
  );

  // The calendar file, fetched with the Authorization header and saved from a Blob.
  const download = page.waitForEvent("download");
  await items
    .nth(0)
    .getByRole("button", { name: /Zet in mijn agenda/ })
    .click();
  const file = await (await download).path();
  expect(fs.readFileSync(file, "utf8")).toContain("BEGIN:VCALENDAR");

  // Cancel the second, after the confirmation.
  const second = items.filter({ hasText: "13:00" });
  await second.getByRole("button", { name: /^Annuleren/ }).click();
  await second.getByText("Weet u zeker").waitFor();
  await expectNoAxeViolations(page);
  await screenshot(page, "member-reservations-cancel");
  await second.getByRole("button", { name: "Ja, annuleer" }).click();
  await page.locator(".status-success").filter({ hasText: "geannuleerd" }).waitFor();
  expect(await second.innerText()).toContain("Geannuleerd");
  // The focus stays with the reservation (its buttons went with the cancel), not the page's start.
  expect(await page.evaluate(() => document.activeElement?.tagName)).toBe("H2");
  expect(await second.evaluate(item => item.contains(document.activeElement))).toBe(true);

  await switchLanguage(page, "English");
  await expectHeading(page, "My reservations");
  expect(await items.nth(1).innerText()).toContain("Cancelled");
  await expectNoAxeViolations(page);
  await screenshot(page, "member-reservations");
  await page.getByRole("button", { name: "Show past reservations" }).click();
  await page.getByText("You have no past reservations.").waitFor();
});

it("keeps my reservations in order of time after one is moved", async () => {
  const space = await createSpace(web.system.request, { name: "Wilg" });
  const member = await newMember(web.system.request);
  const token = await tokenOf(web.system.request, member);
  const date = dateAhead(16);
  const early = await reserve(token, space.id, date, "09:00", "10:00");
  await reserve(token, space.id, date, "13:00", "14:00");

  const { page } = await web.open();
  await signIn(page, member);
  await page.getByRole("link", { name: "Mijn reserveringen" }).click();
  const items = page.locator("li.reservation");
  await items.nth(1).waitFor();
  await items
    .nth(0)
    .getByRole("button", { name: /^Wijzigen/ })
    .click();
  await page.locator(`#start-${early.id}`).fill("15:00");
  await page.locator(`#end-${early.id}`).fill("16:00");
  await page.getByRole("button", { name: "Wijziging opslaan" }).click();
  await page.locator(".status-success").filter({ hasText: "gewijzigd" }).waitFor();
  // The next one stays on top: the 13:00, then the moved one at 15:00.
  const times = await items.evaluateAll(nodes =>
    nodes.map(node => node.textContent?.match(/\d\d:\d\d/)?.[0]),
  );
  expect(times).toEqual(["13:00", "15:00"]);
});

/** "+01:00" or "+02:00": Amsterdam's offset on that date at noon. */
function offsetOf(date: string): string {
  const name = new Intl.DateTimeFormat("en-GB", {
    timeZone: "Europe/Amsterdam",
    timeZoneName: "longOffset",
  })
    .formatToParts(new Date(`${date}T12:00:00Z`))
    .find(part => part.type === "timeZoneName")!.value;
  return name.replace("GMT", "") || "+00:00";
}

it("shows a long list of my reservations a page at a time", async () => {
  const space = await createSpace(web.system.request, { name: "Kastanje" });
  const member = await newMember(web.system.request, "Lotte de Vries");
  const token = await tokenOf(web.system.request, member);
  // 103: one more page's worth than the 100 a page shows, by a few.
  for (let i = 0; i < 103; i++) {
    const hour = String(8 + (i % 10)).padStart(2, "0");
    await reserve(token, space.id, dateAhead(2 + Math.floor(i / 10)), `${hour}:00`, `${hour}:30`);
  }

  const { page } = await web.open();
  await signIn(page, member);
  await page.getByRole("link", { name: "Mijn reserveringen" }).click();
  await expectHeading(page, "Mijn reserveringen");
  const items = page.locator("li.reservation");
  await page.getByText("100 van de 103 reserveringen getoond.").waitFor();
  expect(await items.count()).toBe(100);
  const more = page.getByRole("button", { name: "Toon meer reserveringen" });
  await more.scrollIntoViewIfNeeded();
  await expectNoAxeViolations(page);
  await viewportShots(page, "member-reservations-more");

  await switchLanguage(page, "English");
  await page.getByText("Showing 100 of 103 reservations.").waitFor();
  await page.getByRole("button", { name: "Show more reservations" }).click();
  // While the next page loads the button says it is busy (so it is no longer "Show more"); then
  // the list grows, and the button and the count go, since everything is shown.
  await page.waitForFunction(() => document.querySelectorAll("li.reservation").length >= 103);
  expect(await items.count()).toBe(103);
  await page.getByText("Showing 100 of 103 reservations.").waitFor({ state: "detached" });
  expect(await page.getByRole("button", { name: /Show more reservations|Working…/ }).count()).toBe(
    0,
  );
  // The last three, in order after the first hundred: the latest day's 08:00, 09:00, 10:00.
  const last = await items.evaluateAll(nodes => nodes.slice(-3).map(node => node.textContent));
  expect(last.map(text => text?.match(/\d\d:\d\d/)?.[0])).toEqual(["08:00", "09:00", "10:00"]);
  await expectNoAxeViolations(page);
});

it("says a list could not be loaded, never that it is empty, and loads it on request", async () => {
  const space = await createSpace(web.system.request, { name: "Berk" });
  const member = await newMember(web.system.request, "Sanne Bakker");
  await reserve(
    await tokenOf(web.system.request, member),
    space.id,
    dateAhead(3),
    "10:00",
    "11:00",
  );
  const { page } = await web.open();
  await signIn(page, member);

  // The server cannot be reached for these two lists (the connection is refused).
  const unreachable = (route: import("playwright-core").Route) => route.abort("connectionrefused");
  await page.route("**/api/reservations?*", unreachable);
  await page.route("**/api/notifications?*", unreachable);
  await page.getByRole("link", { name: "Mijn reserveringen" }).click();
  await page.getByText("De lijst kon niet worden geladen.").waitFor();
  expect(await page.getByText("U heeft geen komende reserveringen.").count()).toBe(0);
  await expectNoAxeViolations(page);
  await page.getByRole("link", { name: /^Meldingen/ }).click();
  await page.getByText("De lijst kon niet worden geladen.").waitFor();
  expect(await page.getByText("U heeft geen meldingen.").count()).toBe(0);

  // Back, and reachable again: "Try again" reads the list.
  await page.getByRole("link", { name: "Mijn reserveringen" }).click();
  await expectHeading(page, "Mijn reserveringen");
  await page.getByText("De lijst kon niet worden geladen.").waitFor();
  await page.unroute("**/api/reservations?*");
  await page.getByRole("button", { name: "Opnieuw proberen" }).click();
  await page.locator("li.reservation").first().waitFor();
  expect(await page.getByText("De lijst kon niet worden geladen.").count()).toBe(0);
});

/** The viewport where the page is scrolled to, at both widths (a long list's full page is not). */
async function viewportShots(page: import("playwright-core").Page, name: string) {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const lang = await page.evaluate(() => document.documentElement.lang);
  for (const viewport of [DESKTOP, NARROW]) {
    await page.setViewportSize(viewport);
    await page.getByRole("button", { name: /meer|more/ }).scrollIntoViewIfNeeded();
    await page.screenshot({
      path: path.join(SCREENSHOT_DIR, `${name}-${lang}-${viewport.width}.png`),
    });
  }
  await page.setViewportSize(DESKTOP);
}

it("marks notifications read, one and all, and the header count follows", async () => {
  const space = await createSpace(web.system.request, { name: "Eikenhout" });
  const member = await newMember(web.system.request);
  const token = await tokenOf(web.system.request, member);
  await reserve(token, space.id, dateAhead(16), "09:00", "10:00");
  await reserve(token, space.id, dateAhead(16), "11:00", "12:00");
  await reserve(token, space.id, dateAhead(16), "14:00", "15:00");
  // The notifications are made from events; wait until all three are there.
  for (let i = 0; i < 50; i++) {
    const res = await web.system.request<{ total: number }>("GET", "/api/notifications", { token });
    if (res.body.total >= 3) break;
    await new Promise(resolve => setTimeout(resolve, 200));
  }

  const { page } = await web.open();
  await signIn(page, member);
  const navLink = page.getByRole("link", { name: /Meldingen/ });
  await navLink.filter({ hasText: "3" }).waitFor();
  await navLink.click();
  await expectHeading(page, "Meldingen");
  await page.getByText("3 meldingen, 3 ongelezen.").waitFor();
  await expectNoAxeViolations(page);
  await screenshot(page, "member-notifications");

  await page
    .getByRole("button", { name: /^Markeer als gelezen/ })
    .first()
    .click();
  await page.getByText("3 meldingen, 2 ongelezen.").waitFor();
  await navLink.filter({ hasText: "2" }).waitFor();
  await page.getByRole("button", { name: "Markeer alles als gelezen" }).click();
  await page.getByText("3 meldingen, 0 ongelezen.").waitFor();
  const left = await web.system.request<{ unread: number }>("GET", "/api/notifications", { token });
  expect(left.body.unread).toBe(0);
  await page.getByRole("link", { name: "Meldingen", exact: true }).waitFor({ timeout: 5000 });
  expect(await page.locator("li .state").allInnerTexts()).toEqual([
    "GELEZEN",
    "GELEZEN",
    "GELEZEN",
  ]);

  await switchLanguage(page, "English");
  await expectHeading(page, "Notifications");
  // The messages come again, now in the language just saved in the profile.
  await page
    .locator("li .message")
    .first()
    .filter({ hasText: /confirmed/i })
    .waitFor();
  await expectNoAxeViolations(page);
  await screenshot(page, "member-notifications");
});
