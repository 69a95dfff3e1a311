/**
 * Failover: one of two `reservations` nodes is killed with SIGKILL while readers and writers
 * load the system. Reads keep succeeding, and none waits for the request timeout (the dead node
 * is noticed by its missing heartbeats, and the reads held by it are retried on the other node);
 * a create either answered 201 and is stored exactly once, also when its client resent it with
 * the same Idempotency-Key, or got a 503 SERVICE_UNAVAILABLE, never a 500.
 */
import { startCluster, type Cluster } from "../support/cluster";
import { startLoadOn, tally } from "../support/load";

/** moleculer.config.ts' requestTimeout: a read that took this long waited for a dead node. */
const REQUEST_TIMEOUT_MS = 10_000;
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

interface StoredReservation {
  id: string;
  spaceId: string;
  start: string;
  end: string;
  status: string;
}

describe("failover: kill -9 one of two reservations nodes under load", () => {
  let cluster: Cluster;

  beforeAll(async () => {
    cluster = await startCluster({
      layout: {
        "catalogue-1": "users,spaces,notifications,reports",
        "res-1": "reservations",
        "res-2": "reservations",
        "api-1": "api",
      },
    });
  }, 120_000);

  afterAll(() => cluster?.shutdown());

  it("keeps reads succeeding, stores every 201 once, and answers the rest 503", async () => {
    const load = startLoadOn(cluster, {
      readers: 8,
      writers: 3,
    });
    await sleep(5_000);
    const killedAt = Date.now();
    await cluster.kill("res-2");
    // Long enough for the missing heartbeats to be noticed and for reads after it.
    await sleep(15_000);
    await load.stop();

    const reads = load.of("read");
    const creates = load.of("create");
    const summary = JSON.stringify(tally(load.outcomes));
    // Every read succeeded, and none waited for the dead node until the request timed out.
    expect({ failed: reads.filter(r => r.status !== 200), summary }).toEqual({
      failed: [],
      summary,
    });
    const slow = reads.filter(r => r.ms >= REQUEST_TIMEOUT_MS);
    expect({ slow, summary }).toEqual({ slow: [], summary });
    expect(reads.filter(r => r.at >= killedAt).length).toBeGreaterThan(20);

    // A create answers 201, or 503 with its type (a client then retries): never a 500.
    // (409 REQUEST_IN_PROGRESS: a resent create whose first attempt is still settling.)
    for (const c of creates) {
      expect([201, 409, 503]).toContain(c.status);
      if (c.status === 503) expect(c.type).toBe("SERVICE_UNAVAILABLE");
      if (c.status === 409) expect(c.type).toBe("REQUEST_IN_PROGRESS");
    }

    // Every create that got a 201 is stored once, confirmed, at its slot; nothing else is stored.
    const confirmed = new Map<string, StoredReservation>();
    for (const spaceId of cluster.spaceIds) {
      for (let page = 1; ; page++) {
        const res = await cluster.request<{ rows: StoredReservation[]; totalPages: number }>(
          "GET",
          `/api/reservations?spaceId=${spaceId}&pageSize=100&page=${page}`,
          { token: cluster.manager.token },
        );
        expect(res.status).toBe(200);
        for (const row of res.body.rows) confirmed.set(row.id, row);
        if (page >= res.body.totalPages) break;
      }
    }
    const answered = load.creates.filter(c => c.id);
    expect(answered.length).toBeGreaterThan(10);
    const bySlot = new Map<string, StoredReservation[]>();
    for (const r of confirmed.values()) {
      const slot = `${r.spaceId}|${r.start}`;
      bySlot.set(slot, [...(bySlot.get(slot) ?? []), r]);
    }
    for (const c of answered) {
      const stored = confirmed.get(c.id!);
      expect(stored).toMatchObject({ spaceId: c.spaceId, status: "confirmed" });
      expect(bySlot.get(`${c.spaceId}|${stored!.start}`)).toHaveLength(1);
    }
    // A create that never got its 201 (it gave up) left no confirmed reservation behind.
    const answeredIds = new Set(answered.map(c => c.id));
    const extra = [...confirmed.values()].filter(
      r => r.status === "confirmed" && !answeredIds.has(r.id),
    );
    const gaveUp = load.creates.filter(c => !c.id).length;
    expect(extra.length).toBeLessThanOrEqual(gaveUp);
  }, 90_000);
});
