/**
 * Utilisation reports over HTTP: built from events only, JSON or CSV, for managers and admins.
 */
import { DateTime } from "luxon";
import { httpClient, type HttpRequest } from "./http-client";
import type { RunningSystem } from "./http-contract";
import { signInAdmin, signInAs, type Session } from "./accounts";
import { uniqueName } from "./test-env";
import { ALWAYS_OPEN } from "./opening-hours";

interface Row {
  group: string;
  site: string;
  space?: string;
  openHours: number;
  bookedHours: number;
  utilization: number | null;
  reservations: number;
  cancellations: number;
}

export function describeReportsContract(
  label: string,
  start: () => Promise<Omit<RunningSystem, "secret">>,
) {
  describe(`utilisation reports (${label})`, () => {
    let system: Omit<RunningSystem, "secret">;
    let request: HttpRequest;
    let manager: Session;
    let member: Session;
    const site = uniqueName("Gouda");
    const day = DateTime.utc().plus({ days: 4 }).startOf("day");
    const at = (hours: number) => day.plus({ hours }).toISO()!;
    const window = `from=${encodeURIComponent(at(0))}&to=${encodeURIComponent(at(24))}`;
    const spaceIds: string[] = [];

    async function report(query: string): Promise<Row[]> {
      const res = await request<{ rows: Row[] }>("GET", `/api/reports/utilization?${query}`, {
        token: manager.token,
      });
      expect(res.status).toBe(200);
      return res.body.rows.filter(row => row.site === site);
    }

    /** Events are asynchronous: wait until the report shows what the bookings say. */
    async function eventually(query: string, expected: (rows: Row[]) => boolean): Promise<Row[]> {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const rows = await report(query);
        if (expected(rows) || Date.now() > deadline) return rows;
        await new Promise(resolve => setTimeout(resolve, 100));
      }
    }

    beforeAll(async () => {
      system = await start();
      request = httpClient(system.baseUrl);
      const admin = await signInAdmin(request);
      manager = await signInAs(request, "manager", admin);
      member = await signInAs(request, "member", admin);
      for (const name of ["A", "B"]) {
        const res = await request<{ id: string }>("POST", "/api/spaces", {
          token: manager.token,
          json: {
            name,
            kind: "meeting-room",
            location: { site },
            capacity: 4,
            openingHours: ALWAYS_OPEN,
          },
        });
        spaceIds.push(res.body.id);
      }
      const book = (spaceId: string, from: number, to: number) =>
        request<{ id: string }>("POST", "/api/reservations", {
          token: member.token,
          json: { spaceId, start: at(from), end: at(to) },
        });
      await book(spaceIds[0], 9, 12);
      const moved = await book(spaceIds[0], 13, 14);
      await request("PATCH", `/api/reservations/${moved.body.id}`, {
        token: member.token,
        json: { start: at(13), end: at(15) },
      });
      await book(spaceIds[1], 9, 15);
      const cancelled = await book(spaceIds[1], 16, 17);
      await request("DELETE", `/api/reservations/${cancelled.body.id}`, { token: member.token });
    });

    afterAll(() => system?.stop());

    it("reports booked and open hours per space from the events", async () => {
      const rows = await eventually(
        `${window}&groupBy=space`,
        // All that is asserted below: events of different kinds are handled concurrently, so a
        // cancellation can be counted before an earlier booking of the same space.
        r =>
          r.length === 2 &&
          r[0].bookedHours === 5 &&
          r[0].reservations === 2 &&
          r[1].bookedHours === 6 &&
          r[1].reservations === 1 &&
          r[1].cancellations === 1,
      );
      expect(rows).toEqual([
        expect.objectContaining({
          space: "A",
          openHours: 24,
          bookedHours: 5,
          utilization: 0.2083,
          reservations: 2,
          cancellations: 0,
        }),
        expect.objectContaining({
          space: "B",
          openHours: 24,
          bookedHours: 6,
          utilization: 0.25,
          reservations: 1,
          cancellations: 1,
        }),
      ]);
    });

    it("groups by location", async () => {
      const [row] = await eventually(`${window}&groupBy=location`, r => r[0]?.bookedHours === 11);
      expect(row).toMatchObject({ group: site, openHours: 48, bookedHours: 11, reservations: 3 });
    });

    it("answers CSV to Accept: text/csv", async () => {
      const res = await fetch(`${system.baseUrl}/api/reports/utilization?${window}`, {
        headers: { authorization: `Bearer ${manager.token}`, accept: "text/csv" },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("text/csv");
      expect(res.headers.get("content-disposition")).toContain("attachment");
      const lines = (await res.text()).trim().split("\n");
      expect(lines[0]).toBe(
        '"group","site","space","spaces","openHours","bookedHours","utilization","reservations","cancellations"',
      );
      expect(lines).toContain(`"${spaceIds[1]}","${site}","B",1,24,6,0.25,1,1`);
    });

    it("keeps names that look like spreadsheet formulas as text in CSV", async () => {
      const res = await request("POST", "/api/spaces", {
        token: manager.token,
        json: {
          name: '=HYPERLINK("http://evil.example")',
          kind: "desk",
          location: { site: `@${site};@SUM(1+1)` },
          capacity: 1,
        },
      });
      expect(res.status).toBe(201);
      const csv = async () => {
        const answer = await fetch(
          `${system.baseUrl}/api/reports/utilization?${window}&groupBy=location`,
          { headers: { authorization: `Bearer ${manager.token}`, accept: "text/csv" } },
        );
        return (await answer.text()).trim().split("\n");
      };
      const deadline = Date.now() + 20_000;
      let lines = await csv();
      while (!lines.some(l => l.includes(`@${site}`)) && Date.now() < deadline) {
        await new Promise(resolve => setTimeout(resolve, 100));
        lines = await csv();
      }
      expect(lines[0]).toBe(
        '"group","site","spaces","openHours","bookedHours","utilization","reservations","cancellations"',
      );
      // Quoted whole, so a spreadsheet splitting at ";" does not make "@SUM(1+1)" a cell.
      const cell = `"'@${site};@SUM(1+1)"`;
      expect(lines.find(l => l.includes(`@${site}`))).toMatch(
        new RegExp(`^${escapeRegExp(cell)},${escapeRegExp(cell)},1,`),
      );
      // No cell, quoted or not, starts like a formula.
      expect(lines.join("\n")).not.toMatch(/(^|,)"?[=+@-]/m);
      const perSpace = await fetch(`${system.baseUrl}/api/reports/utilization?${window}`, {
        headers: { authorization: `Bearer ${manager.token}`, accept: "text/csv" },
      });
      expect(await perSpace.text()).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
    });

    it("is for managers and admins, and refuses a bad window with 400", async () => {
      const asMember = await request("GET", `/api/reports/utilization?${window}`, {
        token: member.token,
      });
      expect(asMember.status).toBe(403);
      for (const [query, type] of [
        [`from=${encodeURIComponent(at(5))}&to=${encodeURIComponent(at(1))}`, "INVALID_WINDOW"],
        ["from=2027-01-01&to=2028-06-01", "WINDOW_TOO_LARGE"],
        ["from=2027-01-01&to=2027-02-01&groupBy=owner", "VALIDATION_ERROR"],
        ["from=nope&to=2027-02-01", "VALIDATION_ERROR"],
      ]) {
        const res = await request("GET", `/api/reports/utilization?${query}`, {
          token: manager.token,
        });
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ type });
      }
    });
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
