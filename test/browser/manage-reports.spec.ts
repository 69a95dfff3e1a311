/** Utilisation reports: period checks, chart and table, CSV download, both languages. */
import fs from "node:fs";
import { DateTime } from "luxon";
import { signInAdmin, type Session } from "../support/accounts";
import {
  expectHeading,
  expectNoAxeViolations,
  newMember,
  screenshot,
  signIn,
  switchLanguage,
  useBrowserSystem,
} from "../support/browser";
import { TEST_ADMIN, uniqueName } from "../support/test-env";

jest.setTimeout(120_000);

const web = useBrowserSystem();
let admin: Session;
let spaceName: string;
const day = DateTime.now().setZone("Europe/Amsterdam").plus({ days: 2 }).startOf("day");
const from = day.minus({ days: 2 }).toISODate() ?? "";
const to = day.plus({ days: 5 }).toISODate() ?? "";

beforeAll(async () => {
  admin = await signInAdmin(web.system.request);
  spaceName = uniqueName("Leslokaal");
  const space = await web.system.request<{ id: string }>("POST", "/api/spaces", {
    token: admin.token,
    json: { name: spaceName, kind: "meeting-room", location: { site: "Zwolle" }, capacity: 12 },
  });
  const start = day.set({ hour: 10 });
  const booked = await web.system.request("POST", "/api/reservations", {
    token: admin.token,
    json: { spaceId: space.body.id, start: start.toISO(), end: start.plus({ hours: 2 }).toISO() },
  });
  expect(booked.status).toBe(201);
});

it("checks the period, shows chart and table, and downloads the CSV", async () => {
  const { page } = await web.open();
  await signIn(page, TEST_ADMIN);
  await page.getByRole("link", { name: "Rapporten" }).click();
  await expectHeading(page, "Rapporten");
  await expectNoAxeViolations(page);

  await page.getByLabel("Van").fill(to);
  await page.getByLabel("Tot en met").fill(from);
  await page.getByRole("button", { name: "Rapport tonen" }).click();
  await page
    .locator(".field-invalid .field-error")
    .getByText("Tot en met: kies een datum op of na de begindatum.")
    .waitFor();
  await page.locator(".error-summary").waitFor();
  await expectNoAxeViolations(page);
  await screenshot(page, "manage-reports-errors");

  await page.getByLabel("Van").fill(from);
  await page.getByLabel("Tot en met").fill(to);
  await page.getByRole("button", { name: "Rapport tonen" }).click();
  const row = page.getByRole("row").filter({ hasText: spaceName });
  await row.waitFor();
  expect(await row.locator("td").nth(0).textContent()).toBe("Zwolle");
  expect(await row.locator("td").nth(4).textContent()).toBe("1");
  const chart = page.getByRole("img", { name: /Staafdiagram van de bezetting per ruimte/ });
  await chart.waitFor();
  expect(await chart.getAttribute("aria-label")).toContain(
    "De tabel hieronder geeft alle cijfers.",
  );
  await expectNoAxeViolations(page);
  await screenshot(page, "manage-reports");

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Download als CSV-bestand" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`utilization-${from}-${to}.csv`);
  const csv = fs.readFileSync((await download.path()) ?? "", "utf8");
  expect(csv.split("\n")[0]).toBe(
    '"group","site","space","spaces","openHours","bookedHours","utilization","reservations","cancellations"',
  );
  expect(csv).toContain(spaceName);
  await page.getByRole("status").getByText("Het CSV-bestand is gedownload.").waitFor();

  await page.getByLabel("Indelen per").selectOption("location");
  await page.getByRole("button", { name: "Rapport tonen" }).click();
  await page.getByRole("columnheader", { name: "Ruimtes" }).waitFor();
  await page.getByRole("row").filter({ hasText: "Zwolle" }).waitFor();
});

it("works in English, with axe", async () => {
  const { page } = await web.open();
  await signIn(page, TEST_ADMIN);
  await switchLanguage(page, "English");
  await page.goto("/manage/reports");
  await expectHeading(page, "Reports");
  await page.getByLabel("From").fill(from);
  await page.getByLabel("Up to and including").fill(to);
  await page.getByRole("button", { name: "Show report" }).click();
  await page.getByRole("img", { name: /Bar chart of utilisation per space/ }).waitFor();
  await expectNoAxeViolations(page);
  await screenshot(page, "manage-reports");
  // The report shown is written out again in the other language, dates too.
  await page
    .locator("caption")
    .getByText(/^Utilisation from \d+ [A-Z][a-z]+ \d{4}/)
    .waitFor();
  await switchLanguage(page, "Nederlands");
  await page
    .locator("caption")
    .getByText(/^Bezetting van \d+ [a-z]+ \d{4}/)
    .waitFor();
});

it("shows a member the no-access page", async () => {
  const member = await newMember(web.system.request);
  const { page } = await web.open();
  await signIn(page, member);
  await page.goto("/manage/reports");
  await expectHeading(page, "Geen toegang");
});
