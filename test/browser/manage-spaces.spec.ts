/** Managing spaces in the browser: the list, adding and changing one, taking one out of use. */
import { DateTime } from "luxon";
import { signInAdmin, signInAs, type Session } from "../support/accounts";
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
import { ALWAYS_OPEN } from "./member-helpers";

jest.setTimeout(120_000);

const web = useBrowserSystem();
let admin: Session;

beforeAll(async () => {
  admin = await signInAdmin(web.system.request);
});

async function createSpace(name: string): Promise<string> {
  const res = await web.system.request<{ id: string }>("POST", "/api/spaces", {
    token: admin.token,
    json: {
      name,
      kind: "meeting-room",
      location: { site: "Utrecht" },
      capacity: 6,
      openingHours: ALWAYS_OPEN,
    },
  });
  expect(res.status).toBe(201);
  return res.body.id;
}

it("adds a space with checks at each field, lists it, and changes it", async () => {
  const { page } = await web.open();
  await signIn(page, TEST_ADMIN);
  await page.getByRole("link", { name: "Ruimtes beheren" }).click();
  await expectHeading(page, "Ruimtes beheren");
  await page.getByRole("link", { name: "Nieuwe ruimte toevoegen" }).click();
  await expectHeading(page, "Nieuwe ruimte");
  expect(await page.locator("#space-timezone").inputValue()).toBe("Europe/Amsterdam");
  await expectNoAxeViolations(page);
  await screenshot(page, "manage-space-new");

  // Empty, with a Monday that ends before it starts: each problem in the summary and at its field.
  await page.locator("#hours-mon-0-to").fill("07:00");
  await page.getByRole("button", { name: "Ruimte toevoegen" }).click();
  const summary = page.locator(".error-summary");
  await summary.waitFor();
  await summary.getByText("Naam: vul dit in.").waitFor();
  await summary.getByText("maandag, tijdvak 1: de eindtijd moet na de begintijd liggen.").waitFor();
  await page
    .locator(".range.field-invalid .field-error")
    .getByText("maandag, tijdvak 1: de eindtijd moet na de begintijd liggen.")
    .waitFor();
  expect(await page.locator("#hours-mon-0-to").getAttribute("aria-invalid")).toBe("true");
  expect(await page.locator("#space-name").getAttribute("aria-invalid")).toBe("true");
  await expectNoAxeViolations(page);
  await screenshot(page, "manage-space-errors");

  // The summary's link takes the keyboard user to the field.
  await summary.getByRole("link", { name: "Naam: vul dit in." }).focus();
  await page.keyboard.press("Enter");
  expect(await page.evaluate(() => document.activeElement?.id)).toBe("space-name");

  const name = uniqueName("Vergaderzaal");
  await page.keyboard.type(name);
  await page.getByLabel("Soort ruimte").selectOption("workspace");
  await page.getByLabel("Aantal personen").fill("8");
  await page.getByLabel("Voorzieningen (niet verplicht)").fill("beamer, Whiteboard, Smart TV");
  await page.getByLabel("Vestiging").fill("Utrecht");
  await page.getByLabel("Gebouw (niet verplicht)").fill("Hoofdgebouw");
  await page.locator("#hours-mon-0-to").fill("17:00");
  await page.getByRole("button", { name: "Tijdvak toevoegen op zaterdag" }).click();
  expect(await page.evaluate(() => document.activeElement?.id)).toBe("hours-sat-0-from");
  await page.locator("#hours-sat-0-from").fill("09:00");
  await page.locator("#hours-sat-0-to").fill("12:00");
  await page.getByLabel("Tijdstap (minuten)").selectOption("30");
  await page.getByRole("button", { name: "Ruimte toevoegen" }).click();

  await page.waitForURL("**/manage/spaces");
  await page.getByRole("status").getByText(`De ruimte ${name} is toegevoegd.`).waitFor();
  const row = page.getByRole("row").filter({ hasText: name });
  await row.getByText("In gebruik").waitFor();
  await row.getByText("Werkruimte").waitFor();
  await expectNoAxeViolations(page);
  await screenshot(page, "manage-spaces");

  const listed = await web.system.request<{ rows: Record<string, unknown>[] }>(
    "GET",
    "/api/spaces?site=Utrecht&pageSize=100",
    { token: admin.token },
  );
  const created = listed.body.rows.find(space => space.name === name);
  expect(created).toMatchObject({
    kind: "workspace",
    capacity: 8,
    equipment: ["beamer", "whiteboard", "smart-tv"],
    location: { site: "Utrecht", building: "Hoofdgebouw" },
    timeZone: "Europe/Amsterdam",
    openingHours: { mon: [{ from: "08:00", to: "17:00" }], sat: [{ from: "09:00", to: "12:00" }] },
    rules: { slotMinutes: 30 },
  });

  // Change it.
  await row.getByRole("link", { name, exact: true }).click();
  await expectHeading(page, `${name} wijzigen`);
  await page.getByLabel("Aantal personen").fill("10");
  await page.getByRole("button", { name: "Opslaan" }).click();
  await page.getByRole("status").getByText(`De wijzigingen in ${name} zijn opgeslagen.`).waitFor();
  const after = await web.system.request<{ capacity: number }>(
    "GET",
    `/api/spaces/${created?.id}`,
    {
      token: admin.token,
    },
  );
  expect(after.body.capacity).toBe(10);
  await expectNoAxeViolations(page);
  await screenshot(page, "manage-space-edit");
});

it("takes a space out of use, and offers to cancel its reservations first", async () => {
  const name = uniqueName("Stilteruimte");
  const spaceId = await createSpace(name);
  const member = await signInAs(web.system.request, "member", admin);
  const start = DateTime.now()
    .setZone("Europe/Amsterdam")
    .plus({ days: 2 })
    .set({ hour: 10, minute: 0, second: 0, millisecond: 0 });
  const booked = await web.system.request("POST", "/api/reservations", {
    token: member.token,
    json: { spaceId, start: start.toISO(), end: start.plus({ hours: 1 }).toISO() },
  });
  expect(booked.status).toBe(201);

  const { page } = await web.open();
  await signIn(page, TEST_ADMIN);
  await page.goto(`/manage/spaces/${spaceId}`);
  await expectHeading(page, `${name} wijzigen`);
  // Open until midnight: the time input shows 00:00, and saving keeps 24:00.
  expect(await page.locator("#hours-sun-0-to").inputValue()).toBe("00:00");
  await page.getByRole("button", { name: "Opslaan" }).click();
  await page.getByRole("status").getByText(`De wijzigingen in ${name} zijn opgeslagen.`).waitFor();
  const saved = await web.system.request<{ openingHours: unknown }>(
    "GET",
    `/api/spaces/${spaceId}`,
    {
      token: admin.token,
    },
  );
  expect(saved.body.openingHours).toEqual(ALWAYS_OPEN);

  await page.getByRole("button", { name: "Uit gebruik nemen" }).click();
  await page
    .getByRole("alert")
    .getByText(/Deze ruimte heeft nog 1 komende reservering/)
    .waitFor();
  // Not without saying yes to cancelling.
  await page.getByRole("button", { name: "Reserveringen annuleren en uit gebruik nemen" }).click();
  await page
    .locator(".error-summary")
    .getByText("Vink eerst aan dat u begrijpt dat de reserveringen worden geannuleerd.")
    .waitFor();
  await expectNoAxeViolations(page);
  await screenshot(page, "manage-space-deactivate");

  await page.getByLabel(/Ik begrijp dat deze 1 reservering/).check();
  await page.getByRole("button", { name: "Reserveringen annuleren en uit gebruik nemen" }).click();
  await page
    .getByRole("status")
    .getByText(`${name} is uit gebruik genomen en 1 reservering(en) zijn geannuleerd.`)
    .waitFor();
  await page.getByText("Deze ruimte is niet in gebruik. Niemand kan haar reserveren.").waitFor();
  const space = await web.system.request<{ active: boolean }>("GET", `/api/spaces/${spaceId}`, {
    token: admin.token,
  });
  expect(space.body.active).toBe(false);

  await page.getByRole("link", { name: "Terug naar alle ruimtes" }).click();
  await page.getByRole("row").filter({ hasText: name }).getByText("Niet in gebruik").waitFor();
});

it("works in English, with axe on each page", async () => {
  const spaceId = await createSpace(uniqueName("Room"));
  const { page } = await web.open();
  await signIn(page, TEST_ADMIN);
  await switchLanguage(page, "English");
  await page.getByRole("link", { name: "Manage spaces" }).click();
  await expectHeading(page, "Manage spaces");
  await page.getByRole("table").waitFor();
  await expectNoAxeViolations(page);
  await screenshot(page, "manage-spaces");

  await page.getByRole("link", { name: "Add a new space" }).click();
  await expectHeading(page, "New space");
  await page.getByRole("button", { name: "Add space" }).click();
  await page.locator(".error-summary").getByText("Name: fill this in.").waitFor();
  await expectNoAxeViolations(page);
  await screenshot(page, "manage-space-errors");

  await page.goto(`/manage/spaces/${spaceId}`);
  await expectHeading(page, /^Edit Room/);
  // A refusal by the server lands at its field too (the name is at most 120 characters).
  await page.getByLabel("Name", { exact: true }).fill("x".repeat(130));
  await page.getByRole("button", { name: "Save" }).click();
  await page.locator(".field-invalid .field-error").getByText("Name: this is too long.").waitFor();
  await page
    .locator(".error-summary")
    .getByRole("link", { name: "Name: this is too long." })
    .waitFor();
  await expectNoAxeViolations(page);
  await screenshot(page, "manage-space-edit");
  await switchLanguage(page, "Nederlands");
});

it("shows a member the no-access page", async () => {
  const member = await newMember(web.system.request);
  const { page } = await web.open();
  await signIn(page, member);
  for (const path of ["/manage/spaces", "/manage/spaces/new", "/manage/spaces/abc"]) {
    await page.goto(path);
    await expectHeading(page, "Geen toegang");
  }
  await expect(page.getByRole("link", { name: "Ruimtes beheren" }).count()).resolves.toBe(0);
});
