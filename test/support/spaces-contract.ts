/** The space catalogue over HTTP: who may manage it, how search ranks, and what bad input gets. */
import { httpClient, type HttpRequest } from "./http-client";
import type { RunningSystem } from "./http-contract";
import { uniqueName } from "./test-env";
import { signInAdmin, signInAs, type Session } from "./accounts";

interface Space {
  id: string;
  name: string;
  capacity: number;
  active: boolean;
  timeZone: string;
}
interface Page {
  rows: Space[];
  total: number;
}

const mondayOnly = (mon: { from: string; to: string }[]) => ({
  mon,
  tue: [],
  wed: [],
  thu: [],
  fri: [],
  sat: [],
  sun: [],
});

export function describeSpacesContract(
  label: string,
  start: () => Promise<Omit<RunningSystem, "secret">>,
) {
  describe(`spaces catalogue (${label})`, () => {
    let system: Omit<RunningSystem, "secret">;
    let request: HttpRequest;
    let manager: Session;
    let member: Session;
    const site = uniqueName("Utrecht");

    const create = (body: Record<string, unknown>, token = manager.token) =>
      request<Space>("POST", "/api/spaces", {
        token,
        json: { kind: "meeting-room", location: { site }, ...body },
      });

    beforeAll(async () => {
      system = await start();
      request = httpClient(system.baseUrl);
      const admin = await signInAdmin(request);
      manager = await signInAs(request, "manager", admin);
      member = await signInAs(request, "member", admin);
    });

    afterAll(() => system?.stop());

    it("lets a manager add a space with defaults for time zone, hours and rules", async () => {
      const res = await create({ name: "Tulp", capacity: 6, equipment: ["Beamer", "whiteboard"] });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        name: "Tulp",
        capacity: 6,
        equipment: ["beamer", "whiteboard"],
        timeZone: "Europe/Amsterdam",
        active: true,
        rules: { slotMinutes: 15 },
      });
      const read = await request<Space>("GET", `/api/spaces/${res.body.id}`, {
        token: member.token,
      });
      expect(read.status).toBe(200);
      expect(read.body.name).toBe("Tulp");
    });

    it("finds spaces by site, kind, capacity and all of the equipment, closest fit first", async () => {
      await create({ name: "Roos", capacity: 12, equipment: ["beamer"] });
      await create({
        name: "Iris",
        capacity: 8,
        equipment: ["beamer", "whiteboard", "wheelchair-accessible"],
      });
      await create({ name: "Desk 1", kind: "desk", capacity: 1 });

      const search = (query: string) =>
        request<Page>(
          "GET",
          `/api/spaces?site=${encodeURIComponent(site.toUpperCase())}&${query}`,
          { token: member.token },
        );
      expect((await search("kind=meeting-room&minCapacity=5")).body.rows.map(s => s.name)).toEqual([
        "Tulp",
        "Iris",
        "Roos",
      ]);
      expect((await search("equipment=beamer,whiteboard")).body.rows.map(s => s.name)).toEqual([
        "Tulp",
        "Iris",
      ]);
      expect(
        (await search("equipment=wheelchair-accessible&minCapacity=2")).body.rows.map(s => s.name),
      ).toEqual(["Iris"]);
      expect((await search("kind=desk")).body.rows.map(s => s.name)).toEqual(["Desk 1"]);
      const paged = await search("pageSize=2&page=2");
      expect(paged.body.total).toBe(4);
      expect(paged.body.rows).toHaveLength(2);
    });

    it("lists the sites and equipment of active spaces for a search form, to signed-in users", async () => {
      await create({ name: "Facet", capacity: 3, equipment: ["flip-over", "beamer"] });
      const res = await request<{ sites: string[]; equipment: string[] }>(
        "GET",
        "/api/spaces/facets",
        { token: member.token },
      );
      expect(res.status).toBe(200);
      expect(res.body.sites).toContain(site);
      expect(res.body.sites.filter(name => name.toLowerCase() === site.toLowerCase())).toHaveLength(
        1,
      );
      expect(res.body.equipment).toEqual(expect.arrayContaining(["beamer", "flip-over"]));
      expect([...res.body.equipment].sort((a, b) => a.localeCompare(b, "nl"))).toEqual(
        res.body.equipment,
      );
      expect((await request("GET", "/api/spaces/facets")).status).toBe(401);
      expect(
        (await request("GET", "/api/spaces/facets?site=x", { token: member.token })).status,
      ).toBe(400);
    });

    it("changes and deactivates a space; members no longer find it", async () => {
      const { body: space } = await create({ name: "Lelie", capacity: 4 });
      const changed = await request<Space>("PATCH", `/api/spaces/${space.id}`, {
        token: manager.token,
        json: {
          capacity: 5,
          timeZone: "Europe/London",
          openingHours: mondayOnly([
            { from: "07:00", to: "12:00" },
            { from: "13:00", to: "24:00" },
          ]),
        },
      });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ capacity: 5, timeZone: "Europe/London" });

      const removed = await request<Space>("DELETE", `/api/spaces/${space.id}`, {
        token: manager.token,
      });
      expect(removed.status).toBe(200);
      expect(removed.body.active).toBe(false);
      const found = await request<Page>("GET", `/api/spaces?site=${encodeURIComponent(site)}`, {
        token: member.token,
      });
      expect(found.body.rows.map(s => s.id)).not.toContain(space.id);
      const asManager = await request<Page>(
        "GET",
        `/api/spaces?site=${encodeURIComponent(site)}&includeInactive=true`,
        { token: manager.token },
      );
      expect(asManager.body.rows.map(s => s.id)).toContain(space.id);
    });

    it("refuses space management to members with 403 and to strangers with 401", async () => {
      const { body: space } = await create({ name: "Anjer", capacity: 3 });
      expect((await create({ name: "Mine", capacity: 2 }, member.token)).status).toBe(403);
      expect(
        (
          await request("PATCH", `/api/spaces/${space.id}`, {
            token: member.token,
            json: { capacity: 99 },
          })
        ).status,
      ).toBe(403);
      expect(
        (await request("DELETE", `/api/spaces/${space.id}`, { token: member.token })).status,
      ).toBe(403);
      expect((await request("GET", "/api/spaces")).status).toBe(401);
    });

    it.each([
      ["a wrong type", { name: "X", capacity: "many" }],
      ["an unknown kind", { name: "X", capacity: 2, kind: "castle" }],
      ["an unknown time zone", { name: "X", capacity: 2, timeZone: "Mars/Olympus" }],
      ["a fixed offset for a time zone", { name: "X", capacity: 2, timeZone: "+01:00" }],
      [
        "a malformed opening time",
        {
          name: "X",
          capacity: 2,
          openingHours: mondayOnly([{ from: "8am", to: "17:00" }]),
        },
      ],
      [
        "overlapping opening ranges",
        {
          name: "X",
          capacity: 2,
          openingHours: mondayOnly([
            { from: "08:00", to: "12:00" },
            { from: "11:00", to: "14:00" },
          ]),
        },
      ],
      [
        "a minimum above the maximum",
        {
          name: "X",
          capacity: 2,
          rules: { minMinutes: 120, maxMinutes: 60, horizonDays: 30, slotMinutes: 15 },
        },
      ],
      [
        "a slot size off the 15-minute grid",
        {
          name: "X",
          capacity: 2,
          rules: { minMinutes: 15, maxMinutes: 60, horizonDays: 30, slotMinutes: 20 },
        },
      ],
      ["an unknown field", { name: "X", capacity: 2, owner: "me" }],
    ])("refuses %s with 400", async (_label, body) => {
      const res = await create(body);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ type: "VALIDATION_ERROR" });
    });

    it("names the field and rule a consistency check refused, like any validation error", async () => {
      const res = await create({ name: "X", capacity: 2, timeZone: "Mars/Olympus" });
      expect(res.body).toMatchObject({ data: [{ field: "timeZone", rule: "consistency" }] });
    });

    it("answers unknown ids with 404 and bad search input with 400", async () => {
      for (const id of ["000000000000000000000000", "nope"]) {
        const res = await request("GET", `/api/spaces/${id}`, { token: member.token });
        expect(res.status).toBe(404);
        expect(res.body).toMatchObject({ type: "SPACE_NOT_FOUND" });
      }
      expect(
        (await request("GET", "/api/spaces?minCapacity=lots", { token: member.token })).status,
      ).toBe(400);
      expect(
        (await request("GET", "/api/spaces?pageSize=1000", { token: member.token })).status,
      ).toBe(400);
      expect(
        (await request("GET", "/api/spaces?capacity[$gt]=0", { token: member.token })).status,
      ).toBe(400);
    });
  });
}
