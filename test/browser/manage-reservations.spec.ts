/** A manager sees everyone's upcoming reservations of a space and cancels one with a reason. */
import { DateTime } from "luxon";
import { signInAdmin, type Session } from "../support/accounts";
import {
  type Account,
  expectHeading,
  expectNoAxeViolations,
  newMember,
  screenshot,
  signIn,
  switchLanguage,
  useBrowserSystem,
} from "../support/browser";
import { uniqueName } from "../support/test-env";
import { ALWAYS_OPEN } from "./member-helpers";

jest.setTimeout(120_000);

const web = useBrowserSystem();
let admin: Session;
let manager: Account;

beforeAll(async () => {
  admin = await signInAdmin(web.system.request);
  manager = await newMember(web.system.request, "Mia Beheer");
  const login = await web.system.request<Session>("POST", "/api/auth/login", {
    json: { email: manager.email, password: manager.password },
  });
  await web.system.request("PATCH", `/api/users/${login.body.user.id}`, {
    token: admin.token,
    json: { role: "manager" },
  });
});

async function login(account: Account): Promise<Session> {
  const res = await web.system.request<Session>("POST", "/api/auth/login", {
    json: { email: account.email, password: account.password },
  });
  return res.body;
}

/** A space open all week, and two reservations of Ann's in it (the later one made first). */
async function spaceWithBookings() {
  const name = uniqueName("Spreekkamer");
  const space = await web.system.request<{ id: string }>("POST", "/api/spaces", {
    token: admin.token,
    json: {
      name,
      kind: "meeting-room",
      location: { site: "Amersfoort" },
      capacity: 4,
      openingHours: ALWAYS_OPEN,
    },
  });
  const ann = await newMember(web.system.request, "Ann de Vries");
  const annSession = await login(ann);
  const day = DateTime.now().setZone("Europe/Amsterdam").plus({ days: 2 }).startOf("day");
  const ids: string[] = [];
  for (const [offset, title] of [
    [1, "Intake"],
    [0, "Overleg"],
  ] as const) {
    const start = day.plus({ days: offset, hours: 10 });
    const res = await web.system.request<{ id: string }>("POST", "/api/reservations", {
      token: annSession.token,
      json: {
        spaceId: space.body.id,
        title,
        start: start.toISO(),
        end: start.plus({ hours: 1 }).toISO(),
      },
    });
    expect(res.status).toBe(201);
    ids.push(res.body.id);
  }
  return { name, spaceId: space.body.id, annSession, later: ids[0], sooner: ids[1] };
}

it("lists a space's reservations, next first, and cancels one with a reason the owner reads", async () => {
  const { name, spaceId, annSession, sooner, later } = await spaceWithBookings();
  const { page } = await web.open();
  await signIn(page, manager);
  await page.getByRole("link", { name: "Ruimtes beheren" }).click();
  await page
    .getByRole("row")
    .filter({ hasText: name })
    .getByRole("link", { name: /^Reserveringen/ })
    .click();
  await expectHeading(page, `Reserveringen van ${name}`);
  const rows = page.locator("tbody tr");
  await rows.first().waitFor();
  expect(await rows.count()).toBe(2);
  await rows.nth(0).getByText("Overleg").waitFor();
  await rows.nth(1).getByText("Intake").waitFor();
  await rows.nth(0).getByText("Ann de Vries").waitFor();
  await expectNoAxeViolations(page);
  await screenshot(page, "manage-reservations");

  await rows
    .nth(0)
    .getByRole("button", { name: /^Reservering van .* annuleren$/ })
    .click();
  expect(await page.evaluate(() => document.activeElement?.id)).toBe("cancel-title");
  await page.getByText(/U annuleert de reservering van Ann de Vries op/).waitFor();
  await page.getByRole("button", { name: "Reservering annuleren", exact: true }).click();
  await page.locator(".error-summary").getByText("Reden: vul dit in.").waitFor();
  expect(await page.getByLabel("Reden").getAttribute("aria-invalid")).toBe("true");
  await expectNoAxeViolations(page);
  await screenshot(page, "manage-reservations-cancel");

  // "Do not cancel" brings the keyboard back to the row's button.
  await page.getByRole("button", { name: "Niet annuleren" }).click();
  expect(await page.evaluate(() => document.activeElement?.id)).toBe(`cancel-${sooner}`);
  await page.keyboard.press("Enter");
  await page.getByLabel("Reden").fill("De ruimte is nodig voor een spoedoverleg.");
  await page.getByRole("button", { name: "Reservering annuleren", exact: true }).click();
  await page
    .getByRole("status")
    .getByText(
      /De reservering van Ann de Vries op .* is geannuleerd\. Ann de Vries krijgt een melding\./,
    )
    .waitFor();
  await page.waitForFunction(() => document.querySelectorAll("tbody tr").length === 1);
  await rows.nth(0).getByText("Intake").waitFor();

  const cancelled = await web.system.request<{ status: string; cancellationNote: string }>(
    "GET",
    `/api/reservations/${sooner}`,
    { token: annSession.token },
  );
  expect(cancelled.body).toMatchObject({
    status: "cancelled",
    cancellationNote: "De ruimte is nodig voor een spoedoverleg.",
  });
  const kept = await web.system.request<{ status: string }>("GET", `/api/reservations/${later}`, {
    token: annSession.token,
  });
  expect(kept.body.status).toBe("confirmed");
  // The owner's notification carries the reason.
  let messages: string[] = [];
  const deadline = Date.now() + 15_000;
  while (!messages.some(m => m.includes("spoedoverleg")) && Date.now() < deadline) {
    const res = await web.system.request<{ rows: { message: string }[] }>(
      "GET",
      "/api/notifications",
      {
        token: annSession.token,
      },
    );
    messages = (res.body.rows ?? []).map(row => row.message);
    if (!messages.some(m => m.includes("spoedoverleg"))) await new Promise(r => setTimeout(r, 200));
  }
  expect(messages.some(m => m.includes("Reden: De ruimte is nodig voor een spoedoverleg."))).toBe(
    true,
  );
  void spaceId;
});

it("works in English, with axe", async () => {
  const { name, spaceId } = await spaceWithBookings();
  const { page } = await web.open();
  await signIn(page, manager);
  await switchLanguage(page, "English");
  await page.goto(`/manage/spaces/${spaceId}/reservations`);
  await expectHeading(page, `Reservations of ${name}`);
  await page.locator("tbody tr").first().waitFor();
  await expectNoAxeViolations(page);
  await screenshot(page, "manage-reservations");
  await page
    .locator("tbody tr")
    .first()
    .getByRole("button", { name: /^Cancel the reservation of / })
    .click();
  await page.getByRole("button", { name: "Cancel the reservation", exact: true }).click();
  await page.locator(".error-summary").getByText("Reason: fill this in.").waitFor();
  await expectNoAxeViolations(page);
  await screenshot(page, "manage-reservations-cancel");
  await switchLanguage(page, "Nederlands");
});

it("keeps members out: no-access page, and no names from the API", async () => {
  const member = await newMember(web.system.request);
  const session = await login(member);
  const names = await web.system.request("GET", `/api/users/names?ids=${session.user.id}`, {
    token: session.token,
  });
  expect(names.status).toBe(403);
  const { page } = await web.open();
  await signIn(page, member);
  await page.goto("/manage/spaces/abc/reservations");
  await expectHeading(page, "Geen toegang");
});

it("shows a manager only their own reservations under My reservations", async () => {
  const { spaceId } = await spaceWithBookings();
  const own = await login(manager);
  const start = DateTime.now().setZone("Europe/Amsterdam").plus({ days: 5 }).startOf("day");
  const booked = await web.system.request("POST", "/api/reservations", {
    token: own.token,
    json: {
      spaceId,
      title: "Teamoverleg beheer",
      start: start.plus({ hours: 14 }).toISO(),
      end: start.plus({ hours: 15 }).toISO(),
    },
  });
  expect(booked.status).toBe(201);

  const { page } = await web.open();
  await signIn(page, manager);
  await page.getByRole("link", { name: "Mijn reserveringen" }).click();
  await expectHeading(page, "Mijn reserveringen");
  const items = page.locator("li.reservation");
  await items.first().getByText("Teamoverleg beheer").waitFor();
  // Ann's reservations in the same space are not the manager's.
  expect(await items.count()).toBe(1);
  expect(await page.getByText("Intake").count()).toBe(0);
});
