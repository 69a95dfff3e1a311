/**
 * The shell in both languages: accessibility (axe, WCAG 2.1 AA), language choice kept in the
 * profile, role-aware navigation, deep links, and screenshots at desktop width and 360 px.
 */
import type { Page } from "playwright-core";
import {
  expectHeading,
  expectNoAxeViolations,
  NARROW,
  newMember,
  screenshot,
  signIn,
  switchLanguage,
  useBrowserSystem,
} from "../support/browser";
import { TEST_ADMIN } from "../support/test-env";

jest.setTimeout(120_000);

const web = useBrowserSystem();

/** axe on the page as it is, and again with an error summary showing (its colours, its links). */
async function checkForm(page: Page, name: string, submit: string) {
  await page.waitForLoadState("networkidle");
  await expectNoAxeViolations(page);
  await screenshot(page, name);
  await page.getByRole("button", { name: submit }).click();
  await page.locator(".error-summary").waitFor();
  await expectNoAxeViolations(page);
  await screenshot(page, `${name}-errors`);
}

it("passes axe on sign-in and register in Dutch and English, with and without errors", async () => {
  const { page } = await web.open();
  await page.goto("/sign-in");
  expect(await page.evaluate(() => document.documentElement.lang)).toBe("nl");
  await checkForm(page, "sign-in", "Inloggen");
  await page.goto("/register");
  await checkForm(page, "register", "Account aanmaken");

  await switchLanguage(page, "English");
  await page.goto("/register"); // a fresh form: the errors above were written in Dutch
  await expectHeading(page, "Create an account");
  await checkForm(page, "register", "Create account");
  await page.goto("/sign-in");
  // A guest's choice is kept on this device across page loads.
  await expectHeading(page, "Sign in");
  await checkForm(page, "sign-in", "Sign in");
});

it("keeps a signed-in user's language in their profile, and it survives a reload", async () => {
  const member = await newMember(web.system.request);
  const { page } = await web.open();
  await signIn(page, member);
  await expectHeading(page, "Ruimte zoeken");

  await switchLanguage(page, "English");
  await expectHeading(page, "Find a space");
  await page.getByRole("status").getByText("The language is saved in your account.").waitFor();
  await page.reload();
  await expectHeading(page, "Find a space");
  expect(await page.evaluate(() => document.documentElement.lang)).toBe("en");

  // Another browser, nothing on the device: the profile brings English back on sign-in.
  const fresh = await web.open();
  try {
    await signIn(fresh.page, member);
    await expectHeading(fresh.page, "Find a space");
    expect(await fresh.page.evaluate(() => document.documentElement.lang)).toBe("en");
  } finally {
    await fresh.close();
  }
  const login = await web.system.request<{ user: { locale: string } }>("POST", "/api/auth/login", {
    json: { email: member.email, password: member.password },
  });
  expect(login.body.user.locale).toBe("en");
});

it("shows the admin every section, passes axe in both languages, and takes screenshots", async () => {
  const { page } = await web.open();
  await signIn(page, TEST_ADMIN);
  await expectHeading(page, "Ruimte zoeken");
  const nav = page.getByRole("navigation", { name: "Hoofdmenu" });
  expect((await nav.getByRole("link").allTextContents()).map(text => text.trim())).toEqual([
    "Ruimte zoeken",
    "Mijn reserveringen",
    "Meldingen",
    "Mijn gegevens",
    "Ruimtes beheren",
    "Rapporten",
    "Gebruikers",
  ]);
  expect(await page.locator("header").count()).toBe(1);
  expect(await page.locator("main").count()).toBe(1);
  expect(await page.locator("footer").count()).toBe(1);

  for (const [lang, link, heading] of [
    ["nl", "Gebruikers", "Gebruikers"],
    ["en", "Users", "Users"],
  ] as const) {
    if (lang === "en") await switchLanguage(page, "English");
    await expectNoAxeViolations(page);
    await screenshot(page, "find-admin");
    await page.getByRole("link", { name: link, exact: true }).click();
    await expectHeading(page, heading);
    expect(await page.locator("h1").count()).toBe(1);
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe("H1");
    expect(await page.locator('[aria-current="page"]').textContent()).toContain(link);
    await expectNoAxeViolations(page);
    await page.getByRole("link", { name: lang === "nl" ? "Mijn gegevens" : "My details" }).click();
    await expectHeading(page, lang === "nl" ? "Mijn gegevens" : "My details");
    await expectNoAxeViolations(page);
    await screenshot(page, "profile");
  }
  // Back to Dutch for the next test's admin sign-in (the admin's profile keeps the language).
  await switchLanguage(page, "Nederlands");
});

it("opens deep links and reloads on any client path; unknown paths say so, others are refused", async () => {
  const member = await newMember(web.system.request);
  const { page } = await web.open({ viewport: NARROW });
  await page.goto("/spaces/abc123");
  await page.waitForURL(url => url.pathname === "/sign-in");
  expect(new URL(page.url()).searchParams.get("return")).toBe("/spaces/abc123");
  await signIn(page, member);
  expect(new URL(page.url()).pathname).toBe("/spaces/abc123");
  await expectHeading(page, "Ruimte");
  await page.reload();
  await expectHeading(page, "Ruimte");

  await page.goto("/reservations?page=2");
  await expectHeading(page, "Mijn reserveringen");
  await page.goBack();
  await expectHeading(page, "Ruimte");

  // A member is told plainly that the admin pages are not theirs; nothing is linked to them.
  await page.goto("/admin/users");
  await expectHeading(page, "Geen toegang");
  await page.goto("/no/such/page");
  await expectHeading(page, "Pagina niet gevonden");
  await expectNoAxeViolations(page);
  await screenshot(page, "not-found");
});
