/**
 * A newcomer's first minutes (issue 9, "done when"): MindSpaces started as `npm start` starts
 * it, with no configuration but the test admin, so the in-memory catalogue gets its example
 * spaces. From the address alone: create an account, find a free room, book it.
 */
import type { Browser } from "playwright-core";
import {
  expectHeading,
  expectNoAxeViolations,
  launchBrowser,
  openPage,
  type GuardedPage,
} from "../support/browser";
import { startWebSystem, type WebSystem } from "../support/web-system";
import { uniqueName } from "../support/test-env";
import { dateAhead, search } from "./member-helpers";

jest.setTimeout(180_000);

let system: WebSystem;
let browser: Browser;
let guarded: GuardedPage | null = null;

beforeAll(async () => {
  [system, browser] = await Promise.all([
    startWebSystem({ DEMO_SPACES: "" }), // unset: the try-out's own default
    launchBrowser(),
  ]);
});

afterAll(async () => {
  await guarded?.close();
  await browser?.close();
  await system?.stop();
});

it("registers, finds a free room among the example spaces and books it", async () => {
  guarded = await openPage(browser, system.baseUrl);
  const { page } = guarded;
  await page.goto("/");
  await page.waitForURL("**/sign-in");
  await page.getByRole("link", { name: "Account aanmaken" }).click();
  await page.getByLabel("Naam").fill("Noor Jansen");
  await page.getByLabel("E-mailadres").fill(`${uniqueName("noor")}@example.org`);
  await page.getByLabel("Wachtwoord").fill("Tulips-and-canals-42");
  await page.getByRole("button", { name: "Account aanmaken" }).click();
  await page.waitForURL("**/find");
  await expectHeading(page, "Ruimte zoeken");

  await search(page, { date: dateAhead(1), start: "10:00", end: "11:00" });
  const results = page.locator("#results-title");
  expect(await results.innerText()).toBeTruthy();
  await page.getByRole("link", { name: "Flexplek 1" }).waitFor();
  await expectNoAxeViolations(page);
  await page.getByRole("button", { name: "Reserveer Flexplek 1" }).click();
  await page.getByRole("heading", { name: "Uw reservering is gemaakt" }).waitFor();
  expect(await page.locator(".confirmation").innerText()).toContain("Flexplek 1");
});
