/** Admins manage users: search and filters, role, deactivation, erasure, and the last admin. */
import type { Page } from "playwright-core";
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

beforeAll(async () => {
  admin = await signInAdmin(web.system.request);
});

async function findUser(page: Page, text: string) {
  await page.getByLabel("Naam of e-mailadres").fill(text);
  await page.getByRole("button", { name: "Zoeken", exact: true }).click();
}

it("says in plain words that the last administrator must stay", async () => {
  const { page } = await web.open();
  await signIn(page, TEST_ADMIN);
  await page.getByRole("link", { name: "Gebruikers" }).click();
  await expectHeading(page, "Gebruikers");
  await findUser(page, TEST_ADMIN.email);
  await page.getByRole("button", { name: "Administrator beheren" }).click();
  expect(await page.evaluate(() => document.activeElement?.id)).toBe("user-panel-title");
  // No erase button for one's own account here (that is on the profile).
  expect(await page.getByRole("button", { name: "Gegevens voorgoed wissen" }).count()).toBe(0);
  await page.getByLabel("Rol", { exact: true }).last().selectOption("member");
  await page.getByRole("button", { name: "Rol opslaan" }).click();
  await page
    .locator(".error-summary")
    .getByText(
      "Dit kan niet: er moet altijd minstens één actieve beheerder overblijven. Maak eerst iemand anders beheerder.",
    )
    .waitFor();
  await page.getByRole("button", { name: "Deactiveren" }).click();
  await page
    .locator(".error-summary")
    .getByText(/^Dit kan niet/)
    .waitFor();
  await expectNoAxeViolations(page);
  await screenshot(page, "admin-users-last-admin");
});

it("finds a user, changes the role, deactivates, reactivates and erases them", async () => {
  const name = uniqueName("Bram");
  const member = await newMember(web.system.request, name);
  const { page } = await web.open();
  await signIn(page, TEST_ADMIN);
  await page.goto("/admin/users");
  await expectHeading(page, "Gebruikers");
  await page.getByRole("table").waitFor();
  await expectNoAxeViolations(page);
  await screenshot(page, "admin-users");

  await findUser(page, name);
  await page.getByRole("status").getByText("1 gebruiker(s) gevonden.").waitFor();
  const row = page.getByRole("row").filter({ hasText: member.email });
  await row.getByText("Lid").waitFor();
  await row.getByRole("button", { name: `${name} beheren` }).click();
  await page.getByLabel("Rol", { exact: true }).last().selectOption("manager");
  await page.getByRole("button", { name: "Rol opslaan" }).click();
  await page.getByRole("status").getByText(`${name} is nu Ruimtebeheerder.`).waitFor();
  await row.getByText("Ruimtebeheerder").waitFor();

  await page.getByRole("button", { name: "Deactiveren" }).click();
  await page.getByRole("status").getByText(`${name} is gedeactiveerd.`).waitFor();
  await row.getByText("Gedeactiveerd").waitFor();
  const login = await web.system.request("POST", "/api/auth/login", {
    json: { email: member.email, password: member.password },
  });
  expect(login.status).not.toBe(200);
  await expectNoAxeViolations(page);
  await screenshot(page, "admin-users-manage");

  // The status filter finds them among the deactivated.
  await page.getByLabel("Status").first().selectOption("inactive");
  await findUser(page, name);
  await row.waitFor();
  await page.getByRole("button", { name: `${name} beheren` }).click();
  await page.getByRole("button", { name: "Weer activeren" }).click();
  await page.getByRole("status").getByText(`${name} is weer actief.`).waitFor();

  // Erasing asks for a clear yes first.
  await page.getByRole("button", { name: "Gegevens voorgoed wissen" }).click();
  await page
    .locator(".error-summary")
    .getByText("Vink eerst aan dat u begrijpt dat de gegevens voorgoed worden gewist.")
    .waitFor();
  await page.getByLabel(`Ik begrijp dat de gegevens van ${name} voorgoed worden gewist.`).check();
  await page.getByRole("button", { name: "Gegevens voorgoed wissen" }).click();
  await page.getByRole("status").getByText(`De gegevens van ${name} zijn gewist.`).waitFor();
  await page.getByLabel("Status").first().selectOption("");
  await findUser(page, name);
  await page.getByText("Geen gebruikers gevonden.").waitFor();
  const listed = await web.system.request<{ total: number }>(
    "GET",
    `/api/users?search=${encodeURIComponent(name)}`,
    { token: admin.token },
  );
  expect(listed.body.total).toBe(0);
});

it("works in English, with axe", async () => {
  const { page } = await web.open();
  await signIn(page, TEST_ADMIN);
  await switchLanguage(page, "English");
  await page.goto("/admin/users");
  await expectHeading(page, "Users");
  await page.getByRole("table").waitFor();
  await page.getByRole("button", { name: "Manage Administrator" }).click();
  await page.getByRole("heading", { name: "Manage Administrator" }).waitFor();
  await expectNoAxeViolations(page);
  await screenshot(page, "admin-users-manage");
  await switchLanguage(page, "Nederlands");
});

it("shows a member the no-access page", async () => {
  const member = await newMember(web.system.request);
  const { page } = await web.open();
  await signIn(page, member);
  await page.goto("/admin/users");
  await expectHeading(page, "Geen toegang");
  expect(await page.getByRole("link", { name: "Gebruikers" }).count()).toBe(0);
});
