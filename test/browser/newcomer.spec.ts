/**
 * A newcomer's first minutes (issue 9, "done when"): MindSpaces started as `npm start` starts
 * it, with no configuration but the test admin, so the in-memory catalogue gets its example
 * spaces. From the address alone: create an account, find a free room, book it.
 */
import { expectHeading, expectNoAxeViolations, useBrowserSystem } from "../support/browser";
import { uniqueName } from "../support/test-env";
import { dateAhead, search } from "./member-helpers";

jest.setTimeout(180_000);

const web = useBrowserSystem({ DEMO_SPACES: "" }); // unset: the try-out's own default

it("registers, finds a free room among the example spaces and books it", async () => {
  const { page } = await web.open();
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
