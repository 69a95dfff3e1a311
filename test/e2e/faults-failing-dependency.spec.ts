/**
 * A failing dependency: `spaces` is replaced by a sick instance (a broker in this test process
 * joining the namespace) that throws, then one that hangs, on every call. `reservations` needs it
 * for availability; it does not need it to read a reservation. The gateway keeps answering,
 * reads that do not need `spaces` keep succeeding, the calls held by the hanging instance never
 * exceed the caller's bulkhead, and once the caller's circuit breaker opened the sick instance
 * gets no more calls and the dependent requests answer 503 SERVICE_UNAVAILABLE at once.
 */
import { DateTime } from "luxon";
import { Errors, ServiceBroker, type Context } from "moleculer";
import { metricOn, startCluster, type Cluster } from "../support/cluster";
import type { HttpResponse } from "../support/http-client";
import { natsUrl } from "../support/test-env";

/** From moleculer.config.ts: bulkhead, circuit breaker (minRequestCount, halfOpenTime), timeout. */
const BULKHEAD_CONCURRENCY = 20;
const BREAKER_MIN_REQUESTS = 20;
const REQUEST_TIMEOUT_MS = 10_000;
const BREAKER_HALF_OPEN_MS = 10_000;

interface SickSpaces {
  broker: ServiceBroker;
  calls: number;
  /** Calls per HTTP request (a retried call keeps its request id): more than one is a retry. */
  callsPerRequest: Map<string, number>;
  maxConcurrent: number;
  stop(): Promise<void>;
}

/** A `spaces` instance whose actions throw (or never answer), counting what reaches them. */
async function sickSpaces(namespace: string, mode: "throws" | "hangs"): Promise<SickSpaces> {
  const held: (() => void)[] = [];
  let concurrent = 0;
  const broker = new ServiceBroker({
    namespace,
    nodeID: `sick-spaces-${mode}`,
    transporter: { type: "NATS", options: { servers: natsUrl() } },
    serializer: "JSON",
    logger: false,
    // The cluster's heartbeat settings, or its nodes would take this one for dead.
    heartbeatInterval: 1,
    heartbeatTimeout: 3,
  });
  const sick: SickSpaces = {
    broker,
    calls: 0,
    callsPerRequest: new Map(),
    maxConcurrent: 0,
    async stop() {
      held.forEach(release => release());
      await broker.stop();
    },
  };
  const sickAction = {
    visibility: "public" as const,
    async handler(ctx: Context) {
      sick.calls++;
      const id = String(ctx.requestID);
      sick.callsPerRequest.set(id, (sick.callsPerRequest.get(id) ?? 0) + 1);
      if (mode === "throws")
        throw new Errors.MoleculerServerError("Spaces are broken", 500, "SPACES_BROKEN");
      concurrent++;
      sick.maxConcurrent = Math.max(sick.maxConcurrent, concurrent);
      await new Promise<void>(resolve => held.push(resolve));
      concurrent--;
      throw new Errors.MoleculerServerError("Released at the end", 500, "SPACES_BROKEN");
    },
  };
  // What reservations calls: `forBooking` (availability, bookings) and `get`.
  broker.createService({ name: "spaces", actions: { get: sickAction, forBooking: sickAction } });
  await broker.start();
  await seenBy(broker, "res-1");
  return sick;
}

/**
 * Waits until `nodeID` routes `spaces` to this broker: its own start says nothing of when the
 * others have its INFO, and under load a call before that is answered 503 at once, not sent here.
 */
async function seenBy(broker: ServiceBroker, nodeID: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const services = await broker
      .call<{ name: string; nodes?: string[] }[], object>(
        "$node.services",
        { onlyAvailable: true, withActions: false, grouping: true },
        { nodeID },
      )
      .catch(() => []);
    const spaces = services.find(service => service.name === "spaces");
    if (spaces?.nodes?.includes(broker.nodeID)) return;
    if (Date.now() > deadline) throw new Error(`${nodeID} never saw ${broker.nodeID}'s spaces`);
    await new Promise(resolve => setTimeout(resolve, 100));
  }
}

describe("a failing dependency never makes the gateway or the others fail or pile up", () => {
  let cluster: Cluster;
  const reservationIds: string[] = [];
  const day = DateTime.utc().plus({ days: 2 }).startOf("day");
  const window = `from=${encodeURIComponent(day.toISO()!)}&to=${encodeURIComponent(
    day.plus({ days: 1 }).toISO()!,
  )}`;

  beforeAll(async () => {
    cluster = await startCluster({
      layout: {
        "catalogue-1": "users,notifications,reports",
        "spaces-1": "spaces",
        "res-1": "reservations",
        "api-1": "api",
      },
    });
    for (let i = 0; i < 4; i++) {
      const res = await cluster.request<{ id: string }>("POST", "/api/reservations", {
        token: cluster.members[0].token,
        json: {
          spaceId: cluster.spaceIds[i],
          start: day.plus({ hours: 9 }).toISO(),
          end: day.plus({ hours: 10 }).toISO(),
        },
      });
      expect(res.status).toBe(201);
      reservationIds.push(res.body.id);
    }
    // From here on, only a sick instance serves `spaces`.
    await cluster.stop("spaces-1");
  }, 120_000);

  afterAll(() => cluster?.shutdown());

  const availability = (i: number) =>
    cluster.request("GET", `/api/spaces/${cluster.spaceIds[i % 4]}/availability?${window}`, {
      token: cluster.manager.token,
    });
  const readReservation = (i: number) =>
    cluster.request("GET", `/api/reservations/${reservationIds[i % 4]}`, {
      token: cluster.manager.token,
    });

  /** Reads that do not need `spaces`, in a loop while `busy` runs; every one must succeed. */
  async function readWhile<T>(busy: Promise<T>): Promise<{ result: T; reads: HttpResponse[] }> {
    let done = false;
    const reads: HttpResponse[] = [];
    const readers = Array.from({ length: 3 }, async (_, r) => {
      for (let i = r; !done; i += 3) reads.push(await readReservation(i));
    });
    const result = await busy.finally(() => (done = true));
    await Promise.all(readers);
    return { result, reads };
  }

  it("throws on every call: the breaker opens, then dependent requests get 503 and it gets no calls", async () => {
    const sick = await sickSpaces(cluster.namespace, "throws");
    try {
      const { result, reads } = await readWhile(
        (async () => {
          const answers: HttpResponse[] = [];
          for (let i = 0; i < BREAKER_MIN_REQUESTS + 10; i++) answers.push(await availability(i));
          return answers;
        })(),
      );
      expect(reads.map(r => r.status).filter(s => s !== 200)).toEqual([]);
      const kinds = result.map(a => `${a.status} ${(a.body as { type?: string }).type}`);
      // The dependency's own failure (without its details), or 503 once the breaker is open.
      for (const kind of kinds)
        expect(["500 INTERNAL_ERROR", "503 SERVICE_UNAVAILABLE"]).toContain(kind);
      // No request reached the sick instance twice: a failing handler is not retried.
      expect(Math.max(...sick.callsPerRequest.values())).toBe(1);
      // The breaker opened after its minimum of requests: the rest were refused without a call
      // (but for a probe now and then, half-open).
      expect(kinds.filter(k => k.startsWith("503")).length).toBeGreaterThanOrEqual(5);
      const callsWhenOpen = sick.calls;
      const after: number[] = [];
      const began = Date.now();
      for (let i = 0; i < 5; i++) after.push((await availability(i)).status);
      const probed = sick.calls - callsWhenOpen;
      // One half-open probe per halfOpenTime that passed (on a loaded machine five calls can
      // take longer than that), each of which fails and opens the breaker again.
      const halfOpenWindows = 1 + Math.floor((Date.now() - began) / BREAKER_HALF_OPEN_MS);
      expect(probed).toBeLessThanOrEqual(halfOpenWindows);
      expect(after.filter(s => s === 503)).toHaveLength(5 - probed);
    } finally {
      await sick.stop();
    }
  }, 120_000);

  it("hangs on every call: the caller's bulkhead bounds what waits, others keep working, then 503", async () => {
    const sick = await sickSpaces(cluster.namespace, "hangs");
    const res1 = cluster.nodes.get("res-1")!;
    const gauge = { action: "reservations.availability" };
    try {
      const burst = BULKHEAD_CONCURRENCY + 10;
      const samples: { inflight: number; queued: number }[] = [];
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          samples.push({
            inflight: await metricOn(res1, "moleculer_request_bulkhead_inflight", gauge),
            queued: await metricOn(res1, "moleculer_request_bulkhead_queue_size", gauge),
          });
          await new Promise(resolve => setTimeout(resolve, 250));
        }
      })();
      const { result, reads } = await readWhile(
        Promise.all(Array.from({ length: burst }, (_, i) => availability(i))),
      ).finally(() => (sampling = false));
      await sampler;

      expect(reads.length).toBeGreaterThan(10);
      expect(reads.map(r => r.status).filter(s => s !== 200)).toEqual([]);
      // At most the bulkhead's concurrency waited on the sick instance at once; the rest queued.
      expect(Math.max(...samples.map(s => s.inflight))).toBe(BULKHEAD_CONCURRENCY);
      expect(Math.max(...samples.map(s => s.queued))).toBeGreaterThan(0);
      // Each request asked the sick instance at most once: no retry storm on a hanging service.
      expect(Math.max(...sick.callsPerRequest.values())).toBe(1);
      for (const answer of result) {
        expect([answer.status, (answer.body as { type?: string }).type]).toEqual([
          503,
          "SERVICE_UNAVAILABLE",
        ]);
      }
      // Once the timeouts opened the breaker, a dependent request is refused without waiting; the
      // one exception is the breaker's half-open probe (if the burst outlasted halfOpenTime), which
      // reaches the sick instance and waits out the request timeout like any call to it.
      const callsWhenOpen = sick.calls;
      let waited = 0;
      for (let i = 0; i < 5; i++) {
        const began = Date.now();
        expect((await availability(i)).status).toBe(503);
        if (Date.now() - began >= REQUEST_TIMEOUT_MS) waited++;
      }
      const probed = sick.calls - callsWhenOpen;
      expect(probed).toBeLessThanOrEqual(1);
      expect(waited).toBeLessThanOrEqual(probed);
    } finally {
      await sick.stop();
    }
  }, 120_000);
});
