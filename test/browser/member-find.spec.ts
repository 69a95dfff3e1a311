/**
 * Find a free space and book it: the main path, end to end through the real gateway. Keyboard
 * only, a double click, a refusal explained in plain words, axe in Dutch and English, screenshots.
 */
import { DateTime } from "luxon";
import {
  expectHeading,
  expectNoAxeViolations,
  newMember,
  screenshot,
  signIn,
  switchLanguage,
  useBrowserSystem,
} from "../support/browser";
import { uniqueName } from "../support/test-env";
import { at, createSpace, dateAhead, search, tabTo, tokenOf } from "./member-helpers";

jest.setTimeout(180_000);

const web = useBrowserSystem();

async function reservationsOf(token: string, spaceId: string) {
  const res = await web.system.request<{
    rows: { spaceId: string; status: string; start: string }[];
  }>("GET", `/api/reservations?spaceId=${spaceId}`, { token });
  return res.body.rows.filter(row => row.status === "confirmed");
}

it("books a space with the keyboard only, from /find to the confirmation", async () => {
  const tag = uniqueName("kbd").toLowerCase().slice(0, 30);
  const space = await createSpace(web.system.request, { equipment: [tag], capacity: 4 });
  const member = await newMember(web.system.request);
  const { page } = await web.open();
  await signIn(page, member);
  await expectHeading(page, "Ruimte zoeken");
  await page.waitForLoadState("networkidle");

  const date = dateAhead(8);
  const [year, month, day] = date.split("-");
  await tabTo(page, "#date");
  // Headless Chromium lays the date input out in its own (US) order: month, day, year.
  await page.keyboard.type(`${month}${day}${year}`);
  await tabTo(page, "#start");
  await page.keyboard.type("1000A"); // "A": morning, where the field has AM/PM
  await tabTo(page, "#end");
  await page.keyboard.type("1100A");
  await tabTo(page, "#people");
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("ArrowUp");
  await tabTo(page, `[id="equipment-${tag}"]`);
  await page.keyboard.press("Space");
  await tabTo(page, "form button[type=submit]");
  await page.keyboard.press("Enter");
  await page.locator("#results-title").waitFor();
  expect(await page.inputValue("#date")).toBe(date);
  expect(await page.inputValue("#people")).toBe("3");

  await tabTo(page, "li.result button");
  expect(await page.evaluate(() => document.activeElement?.textContent)).toContain(space.name);
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Uw reservering is gemaakt" }).waitFor();
  expect(await page.locator(".confirmation").innerText()).toContain(space.name);
  expect(await page.locator(".confirmation").innerText()).toContain("10:00");
  // No mail server here: no e-mail is promised.
  expect(await page.locator(".confirmation").innerText()).not.toContain("e-mail");
  expect(await reservationsOf(await tokenOf(web.system.request, member), space.id)).toHaveLength(1);
});

it("books the hour it searched, also for a space in another time zone", async () => {
  const space = await createSpace(web.system.request, {
    timeZone: "Europe/London",
    equipment: ["londen"],
  });
  const member = await newMember(web.system.request);
  const { page } = await web.open();
  await signIn(page, member);
  await page.waitForLoadState("networkidle");
  const date = dateAhead(10);
  await search(page, { date, start: "11:00", end: "12:00" });
  await page.getByRole("button", { name: `Reserveer ${space.name}` }).click();
  await page.getByRole("heading", { name: "Uw reservering is gemaakt" }).waitFor();
  // Told in the time it was searched in: 11:00 in the Netherlands.
  expect(await page.locator(".confirmation").innerText()).toContain("11:00");
  const [booked] = await reservationsOf(await tokenOf(web.system.request, member), space.id);
  const searched = DateTime.fromISO(`${date}T11:00`, { zone: "Europe/Amsterdam" });
  expect(DateTime.fromISO(booked.start).toMillis()).toBe(searched.toMillis());
});

it("makes one reservation from a double click on Book", async () => {
  const space = await createSpace(web.system.request, { capacity: 40, equipment: ["dubbel"] });
  const member = await newMember(web.system.request);
  const { page } = await web.open();
  await signIn(page, member);
  await page.waitForLoadState("networkidle");
  await page.getByLabel("Aantal personen").fill("40");
  await search(page, { date: dateAhead(9), start: "09:00", end: "10:30" });
  await page.getByRole("button", { name: `Reserveer ${space.name}` }).dblclick();
  await page.getByRole("heading", { name: "Uw reservering is gemaakt" }).waitFor();
  await page.waitForLoadState("networkidle");
  expect(await reservationsOf(await tokenOf(web.system.request, member), space.id)).toHaveLength(1);
});

it("explains a refused booking in plain words next to the result, with what to do", async () => {
  const space = await createSpace(web.system.request, { capacity: 41 });
  const member = await newMember(web.system.request);
  const other = await newMember(web.system.request, "Bram Jansen");
  const date = dateAhead(10);
  const { page } = await web.open();
  await signIn(page, member);
  await page.waitForLoadState("networkidle");
  await page.getByLabel("Aantal personen").fill("41");
  await search(page, { date, start: "13:00", end: "14:00" });
  const result = page.locator("li.result", { hasText: space.name });
  expect(await result.innerText()).toContain("Vrij");
  // Someone else takes it while the member looks at the list.
  const taken = await web.system.request("POST", "/api/reservations", {
    token: await tokenOf(web.system.request, other),
    json: { spaceId: space.id, start: at(date, "13:30"), end: at(date, "14:30") },
  });
  expect(taken.status).toBe(201);
  await result.getByRole("button", { name: `Reserveer ${space.name}` }).click();
  const refusal = result.locator(".refusal");
  await refusal.waitFor();
  expect(await refusal.innerText()).toContain("Niet gereserveerd");
  expect(await refusal.innerText()).toContain("Kies een andere tijd of ruimte.");
  expect(await refusal.innerText()).toContain(
    "Op de pagina van de ruimte ziet u wanneer zij wel vrij is.",
  );
  expect(await result.innerText()).toContain("Niet vrij op deze tijd");
  await expectNoAxeViolations(page);
  await screenshot(page, "member-find-refused");
});

it("says in the results why a space cannot be booked then, and offers no Book for it", async () => {
  const day = [{ from: "08:00", to: "18:00" }];
  const space = await createSpace(web.system.request, {
    capacity: 42,
    openingHours: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day },
  });
  const member = await newMember(web.system.request);
  const { page } = await web.open();
  await signIn(page, member);
  await page.waitForLoadState("networkidle");
  await page.getByLabel("Aantal personen").fill("42");
  await search(page, { date: dateAhead(11), start: "06:00", end: "07:00" });
  const result = page.locator("li.result", { hasText: space.name });
  await result.getByText("De ruimte is dan niet open.").waitFor();
  expect(await result.getByRole("button").count()).toBe(0);
  await expectNoAxeViolations(page);

  await switchLanguage(page, "English");
  await result.getByText("The space is not open then.").waitFor();
});

it("passes axe with results in Dutch and English, and is readable at 360 px", async () => {
  await createSpace(web.system.request, { capacity: 2, name: "Tulp" });
  await createSpace(web.system.request, {
    capacity: 8,
    name: "Roos",
    location: { site: "Amersfoort", building: "Zorgcentrum De Linde" },
    equipment: ["beamer", "rolstoeltoegankelijk", "videobellen"],
  });
  const member = await newMember(web.system.request);
  const { page } = await web.open();
  await signIn(page, member);
  await page.waitForLoadState("networkidle");
  await expectNoAxeViolations(page);
  await screenshot(page, "member-find");
  await search(page, { date: dateAhead(11), start: "11:00", end: "12:00" });
  await expectNoAxeViolations(page);
  await screenshot(page, "member-find-results");
  // An empty form shows the error summary.
  await page.getByLabel("Begintijd", { exact: true }).fill("");
  await page.getByRole("button", { name: "Zoeken", exact: true }).click();
  await page.locator(".error-summary").waitFor();
  await expectNoAxeViolations(page);

  await switchLanguage(page, "English");
  await page.goto("/find");
  await expectHeading(page, "Find a space");
  await page.waitForLoadState("networkidle");
  await search(
    page,
    { date: dateAhead(11), start: "11:00", end: "12:00" },
    { date: "Date", start: "Start time", end: "End time", submit: "Search" },
  );
  expect(await page.locator("li.result").first().innerText()).toMatch(/Free|Not free/);
  await expectNoAxeViolations(page);
  await screenshot(page, "member-find-results");
});
