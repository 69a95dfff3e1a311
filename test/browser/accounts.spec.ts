/** Registering, signing in and out, errors on forms, and a session that ends mid-form. */
import type { Page } from "playwright-core";
import { expectHeading, newMember, signIn, useBrowserSystem } from "../support/browser";
import { uniqueName } from "../support/test-env";
import { startWebSystem } from "../support/web-system";

jest.setTimeout(90_000);

const web = useBrowserSystem();

const focusedTag = (page: Page) => page.evaluate(() => document.activeElement?.tagName ?? "");

it("registers, lands on the find page signed in, signs out, and signs in again", async () => {
  const { page } = await web.open();
  const email = `${uniqueName("ann")}@example.org`;

  await page.goto("/");
  await page.waitForURL("**/sign-in");
  await expectHeading(page, "Inloggen");
  await page.getByRole("link", { name: "Account aanmaken" }).click();
  await expectHeading(page, "Account aanmaken");
  expect(await focusedTag(page)).toBe("H1");

  await page.getByLabel("Naam").fill("Ann de Vries");
  await page.getByLabel("E-mailadres").fill(email);
  await page.getByLabel("Wachtwoord").fill("Tulips-and-canals-42");
  await page.getByRole("button", { name: "Account aanmaken" }).click();

  await page.waitForURL("**/find");
  await expectHeading(page, "Ruimte zoeken");
  await page
    .getByRole("status")
    .getByText("Welkom, Ann de Vries. Uw account is aangemaakt.")
    .waitFor();
  expect(await page.title()).toBe("Ruimte zoeken – MindSpaces");
  const nav = page.getByRole("navigation", { name: "Hoofdmenu" });
  expect((await nav.getByRole("link").allTextContents()).map(text => text.trim())).toEqual([
    "Ruimte zoeken",
    "Mijn reserveringen",
    "Meldingen",
    "Mijn gegevens",
  ]);

  await page.getByRole("button", { name: "Uitloggen" }).click();
  await page.waitForURL("**/sign-in");
  await page.getByRole("status").getByText("U bent uitgelogd.").waitFor();
  expect(await page.evaluate(() => sessionStorage.getItem("mindspaces.token"))).toBeNull();

  // A signed-in page asks for sign-in first and then opens.
  await page.goto("/profile");
  await page.waitForURL(
    url => url.pathname === "/sign-in" && url.search.includes("reason=required"),
  );
  await page.getByText("Log in om deze pagina te zien.").waitFor();
  await signIn(page, { email, password: "Tulips-and-canals-42" });
  expect(new URL(page.url()).pathname).toBe("/profile");
  await expectHeading(page, "Mijn gegevens");
});

it("summarises errors at the top, links each to its field, and shows the server's refusals", async () => {
  const existing = await newMember(web.system.request);
  const { page } = await web.open();

  await page.goto("/register");
  await page.getByRole("button", { name: "Account aanmaken" }).click();
  const summary = page.locator(".error-summary");
  await summary.getByRole("heading", { name: "Er is een probleem" }).waitFor();
  expect(await page.evaluate(() => document.activeElement?.className ?? "")).toContain(
    "error-summary",
  );
  expect(await summary.getByRole("link").allTextContents()).toEqual([
    "Naam: vul dit in.",
    "E-mailadres: vul dit in.",
    "Wachtwoord: vul dit in.",
  ]);
  await summary.getByRole("link", { name: "E-mailadres: vul dit in." }).click();
  expect(await page.evaluate(() => document.activeElement?.id)).toBe("email");
  expect(await page.locator("#email").getAttribute("aria-invalid")).toBe("true");
  expect(await page.locator("#email").getAttribute("aria-describedby")).toBe("email-error");

  // The server's own refusal, in the page's language, at the field it concerns.
  await page.getByLabel("Naam").fill("Someone Else");
  await page.getByLabel("E-mailadres").fill(existing.email);
  await page.getByLabel("Wachtwoord").fill("Another-long-pass-77");
  await page.getByRole("button", { name: "Account aanmaken" }).click();
  await page
    .locator("#email-error")
    .getByText("Er bestaat al een account met dit e-mailadres.")
    .waitFor();
  expect(await summary.getByRole("link").allTextContents()).toEqual([
    "Er bestaat al een account met dit e-mailadres.",
  ]);

  // A wrong password concerns no single field: it is listed without a link.
  await page.goto("/sign-in");
  await page.getByLabel("E-mailadres").fill(existing.email);
  await page.getByLabel("Wachtwoord").fill("not-the-password-1");
  await page.getByRole("button", { name: "Inloggen" }).click();
  await summary.getByText("Het e-mailadres of wachtwoord is onjuist.").waitFor();
  expect(await summary.getByRole("link").count()).toBe(0);
});

it("sends a user whose token stopped working to sign in, then back with what they typed", async () => {
  const member = await newMember(web.system.request, "Bram Jansen");
  const { page } = await web.open();
  await signIn(page, member);
  await page.getByRole("link", { name: "Mijn gegevens" }).click();
  await expectHeading(page, "Mijn gegevens");

  await page.getByLabel("Naam").fill("Bram Jansen-de Wit");
  // As if the token expired or was revoked while the user was typing.
  await page.evaluate(() => sessionStorage.setItem("mindspaces.token", "no.longer.valid"));
  await page.getByRole("button", { name: "Opslaan" }).click();

  await page.waitForURL(
    url => url.pathname === "/sign-in" && url.search.includes("reason=expired"),
  );
  await page
    .getByText("Uw sessie is verlopen. Log opnieuw in; wat u had ingevuld is bewaard.")
    .waitFor();
  expect(await focusedTag(page)).toBe("H1");
  await signIn(page, member);

  expect(new URL(page.url()).pathname).toBe("/profile");
  await expectHeading(page, "Mijn gegevens");
  expect(await page.getByLabel("Naam").inputValue()).toBe("Bram Jansen-de Wit");
  await page.getByRole("button", { name: "Opslaan" }).click();
  await page.getByRole("status").getByText("Uw wijzigingen zijn opgeslagen.").waitFor();
  const token = await page.evaluate(() => sessionStorage.getItem("mindspaces.token") ?? "");
  const me = await web.system.request<{ name: string }>("GET", "/api/users/me", { token });
  expect(me.body.name).toBe("Bram Jansen-de Wit");
});

it("offers no registration where the server refuses self-registration", async () => {
  const closed = await startWebSystem({ SELF_REGISTRATION: "false" });
  try {
    const guarded = await web.open({ baseUrl: closed.baseUrl });
    const { page } = guarded;
    await page.goto("/sign-in");
    await expectHeading(page, "Inloggen");
    // The deployment's settings arrive after the first render.
    await page.waitForLoadState("networkidle");
    expect(await page.getByRole("link", { name: "Account aanmaken" }).count()).toBe(0);

    await page.goto("/register");
    await page
      .getByText("U kunt hier zelf geen account aanmaken. Vraag uw beheerder om een account.")
      .waitFor();
    expect(await page.locator("form").count()).toBe(0);
    await guarded.close();
  } finally {
    await closed.stop();
  }
});
