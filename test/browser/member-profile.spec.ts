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
