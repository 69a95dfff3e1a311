/**
 * Broker restart: the NATS server (one of this test's own, with JetStream and a store on disk)
 * restarts while readers and writers load the system. Every node reconnects and the system
 * serves again within 10 seconds of NATS being back; meanwhile answers are successes or 503,
 * never 500; and the durable events of the reservations made around the restart all arrive,
 * once each (every confirmed reservation has exactly one "created" notification).
 */
import { metricOn, startCluster, type Cluster } from "../support/cluster";
import { startLoadOn, tally } from "../support/load";
import { startNatsServer, type OwnNatsServer } from "../support/nats-server";

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

interface Page<T> {
  rows: T[];
  totalPages: number;
}

describe("broker restart under load", () => {
  let nats: OwnNatsServer;
  let cluster: Cluster;

  beforeAll(async () => {
    nats = await startNatsServer();
    cluster = await startCluster({
      transporter: nats.url,
      layout: {
        "catalogue-1": "users,spaces",
        "events-1": "notifications,reports",
        "res-1": "reservations",
        "res-2": "reservations",
        "api-1": "api",
      },
    });
  }, 120_000);

  afterAll(async () => {
    await cluster?.shutdown();
    await nats?.stop();
  });

  async function all<T>(path: string, token: string): Promise<T[]> {
    const rows: T[] = [];
    for (let page = 1; ; page++) {
      const sep = path.includes("?") ? "&" : "?";
      const res = await cluster.request<Page<T>>("GET", `${path}${sep}pageSize=100&page=${page}`, {
        token,
      });
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
      rows.push(...res.body.rows);
      if (page >= res.body.totalPages) return rows;
    }
  }

  it("reconnects every node within 10 s and delivers every durable event once", async () => {
    const load = startLoadOn(cluster, {
      readers: 4,
      writers: 3,
      clientTimeoutMs: 20_000,
    });
    await sleep(4_000);
    const downAt = Date.now();
    await nats.halt();
    await sleep(3_000);
    await nats.start();
    const backAt = Date.now();

    // Every node is connected again and the gateway serves reads and creates.
    let servingAt = 0;
    while (!servingAt && Date.now() - backAt < 30_000) {
      await sleep(250);
      const connected = await Promise.all(
        [...cluster.nodes.values()].map(node =>
          metricOn(node, "moleculer_transit_connected").catch(() => 0),
        ),
      );
      const ready = await cluster.request("GET", "/api/ready");
      const recent = load.outcomes.filter(o => o.at > Math.max(backAt, Date.now() - 2_000));
      if (
        connected.every(c => c === 1) &&
        ready.status === 200 &&
        recent.some(o => o.kind === "create" && o.status === 201) &&
        recent.every(o => o.status === 200 || o.status === 201)
      )
        servingAt = Date.now();
    }
    await sleep(3_000);
    await load.stop();

    const summary = tally(load.outcomes);
    expect({ servingWithinMs: servingAt ? servingAt - backAt : null, summary }).toEqual({
      servingWithinMs: expect.any(Number),
      summary,
    });
    expect(servingAt - backAt).toBeLessThanOrEqual(10_000);
    for (const o of load.outcomes.filter(o => o.at >= downAt)) {
      if (o.status === 200 || o.status === 201) continue;
      expect({ status: o.status, type: o.type }).toEqual({
        status: 503,
        type: "SERVICE_UNAVAILABLE",
      });
    }
    for (const node of cluster.nodes.values()) expect(node.process.child.exitCode).toBeNull();

    // Every confirmed reservation (those made before, during and after the restart) is told to
    // its owner exactly once; a create that answered 201 is among them.
    const confirmed = new Set<string>();
    for (const spaceId of cluster.spaceIds) {
      const rows = await all<{ id: string; status: string }>(
        `/api/reservations?spaceId=${spaceId}&status=confirmed`,
        cluster.manager.token,
      );
      rows.forEach(r => confirmed.add(r.id));
    }
    for (const c of load.creates.filter(c => c.id)) expect(confirmed.has(c.id!)).toBe(true);
    expect(confirmed.size).toBeGreaterThan(10);
    const createdNotices = async () => {
      const ids: string[] = [];
      for (const member of cluster.members) {
        const rows = await all<{ kind: string; reservation: { id: string } }>(
          "/api/notifications",
          member.token,
        );
        ids.push(...rows.filter(n => n.kind === "reservation.created").map(n => n.reservation.id));
      }
      return ids.sort();
    };
    const deadline = Date.now() + 40_000;
    let notices = await createdNotices();
    while (notices.length < confirmed.size && Date.now() < deadline) {
      await sleep(1_000);
      notices = await createdNotices();
    }
    expect(notices).toEqual([...confirmed].sort());
  }, 150_000);
});
