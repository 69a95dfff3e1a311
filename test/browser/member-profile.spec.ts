/**
 * My details: name and language (the same setting as the header's switch), download my data
 * (GDPR export, a JSON file), and erase my account after an explicit confirmation.
 */
import fs from "node:fs";
import {
  expectHeading,
  expectNoAxeViolations,
  newMember,
  screenshot,
  signIn,
  switchLanguage,
  useBrowserSystem,
} from "../support/browser";
import { tokenOf } from "./member-helpers";

jest.setTimeout(180_000);

const web = useBrowserSystem();

it("changes name and language, downloads my data, in Dutch and English", async () => {
  const member = await newMember(web.system.request);
  const { page } = await web.open();
  await signIn(page, member);
  await page.getByRole("link", { name: "Mijn gegevens" }).click();
  await expectHeading(page, "Mijn gegevens");
  expect(await page.getByLabel("Nederlands").isChecked()).toBe(true);
  await expectNoAxeViolations(page);
  await screenshot(page, "member-profile");

  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download mijn gegevens" }).click();
  const data = JSON.parse(fs.readFileSync((await (await download).path())!, "utf8"));
  expect(JSON.stringify(data)).toContain(member.email);
  await page.locator(".status-success").filter({ hasText: "gedownload" }).waitFor();

  await page.getByLabel("Naam", { exact: true }).fill("Ann de Vries-Bakker");
  await page.getByLabel("English").check();
  await page.getByRole("button", { name: "Opslaan" }).click();
  await expectHeading(page, "My details");
  await page.waitForFunction(() => document.documentElement.lang === "en");
  const me = await web.system.request<{ name: string; locale: string }>("GET", "/api/users/me", {
    token: await tokenOf(web.system.request, member),
  });
  expect(me.body).toMatchObject({ name: "Ann de Vries-Bakker", locale: "en" });
  await expectNoAxeViolations(page);
  await screenshot(page, "member-profile");

  // The header's switch is the same setting: the choice on the page follows it.
  await switchLanguage(page, "Nederlands");
  expect(await page.getByLabel("Nederlands").isChecked()).toBe(true);
});

it("erases my account only after an explicit confirmation, then signs me out", async () => {
  const member = await newMember(web.system.request);
  const { page } = await web.open();
  await signIn(page, member);
  await page.goto("/profile");
  await expectHeading(page, "Mijn gegevens");
  await page.getByRole("button", { name: "Account verwijderen…" }).click();
  await page.getByRole("button", { name: "Verwijder mijn account definitief" }).click();
  await page.getByText("Vink eerst aan dat u begrijpt wat er gebeurt.").waitFor();
  await expectNoAxeViolations(page);
  await screenshot(page, "member-profile-erase");
  // Still there: nothing happens without the tick.
  expect(
    (
      await web.system.request("POST", "/api/auth/login", {
        json: { email: member.email, password: member.password },
      })
    ).status,
  ).toBe(200);

  await page
    .getByLabel("Ik begrijp dat mijn account en mijn gegevens definitief worden verwijderd.")
    .check();
  await page.getByRole("button", { name: "Verwijder mijn account definitief" }).click();
  await expectHeading(page, "Inloggen");
  await page.getByText("Uw account is verwijderd. U bent uitgelogd.").waitFor();
  expect(
    (
      await web.system.request("POST", "/api/auth/login", {
        json: { email: member.email, password: member.password },
      })
    ).status,
  ).toBe(401);
});

it("changes my password, ending my other sessions, and signs me out everywhere", async () => {
  const member = await newMember(web.system.request);
  const elsewhere = await web.open();
  await signIn(elsewhere.page, member);
  const { page } = await web.open();
  await signIn(page, member);
  await page.goto("/profile");
  await expectHeading(page, "Mijn gegevens");

  // The current password first: a wrong one is said at its field.
  await page.getByLabel("Huidig wachtwoord").fill("Not-my-password-1");
  await page.getByLabel("Nieuw wachtwoord").fill("Harbour-lights-88");
  await page.getByRole("button", { name: "Wachtwoord wijzigen" }).click();
  await page.getByText("Huidig wachtwoord: dit wachtwoord klopt niet.").waitFor();
  expect(await page.evaluate(() => document.activeElement?.id)).toBe("current-password");
  await expectNoAxeViolations(page);
  await screenshot(page, "member-profile-password-error");

  await page.getByLabel("Huidig wachtwoord").fill(member.password);
  await page.getByRole("button", { name: "Wachtwoord wijzigen" }).click();
  await page.locator(".status-success").filter({ hasText: "Uw wachtwoord is gewijzigd" }).waitFor();
  expect(await page.getByLabel("Huidig wachtwoord").inputValue()).toBe("");
  // Still signed in here; signed out on the other device at its next step.
  await page.getByRole("link", { name: "Mijn reserveringen" }).click();
  await expectHeading(page, "Mijn reserveringen");
  await elsewhere.page.getByRole("link", { name: "Mijn reserveringen" }).click();
  await elsewhere.page.waitForURL(url => url.pathname.startsWith("/sign-in"));

  await page.getByRole("link", { name: "Mijn gegevens" }).click();
  await switchLanguage(page, "English");
  await page.getByRole("heading", { name: "Sign out everywhere" }).waitFor();
  await expectNoAxeViolations(page);
  await screenshot(page, "member-profile-password");
  await page.getByRole("button", { name: "Sign out everywhere" }).click();
  await page.waitForURL(url => url.pathname.startsWith("/sign-in"));
  await page.getByText("You are signed out on all your devices.").waitFor();
  await signIn(page, { email: member.email, password: "Harbour-lights-88" });
});
