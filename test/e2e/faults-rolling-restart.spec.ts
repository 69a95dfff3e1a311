/**
 * Rolling restart: every node of a cluster with two of each is stopped with SIGTERM and started
 * again, one after another, while readers and writers load it. Not one request fails: a stopping
 * node first tells the others to stop routing to it, then finishes what it holds, then leaves.
 *
 * Gateways are taken out of the load's rotation before their SIGTERM and put back once ready,
 * as a load balancer or Kubernetes does with an endpoint whose pod terminates; the HTTP side of
 * a stop is the balancer's, the broker side (what this test is about) is MindSpaces'.
 */
import { httpClient } from "../support/http-client";
import { startCluster, type Cluster } from "../support/cluster";
import { startLoadOn, tally } from "../support/load";
import { waitUntilReady } from "../support/node-process";

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

describe("rolling restart: SIGTERM and restart every node in turn under load", () => {
  let cluster: Cluster;

  beforeAll(async () => {
    cluster = await startCluster({
      layout: {
        "cat-1": "users,spaces,notifications,reports",
        "cat-2": "users,spaces,notifications,reports",
        "res-1": "reservations",
        "res-2": "reservations",
        "api-1": "api",
        "api-2": "api",
      },
    });
  }, 120_000);

  afterAll(() => cluster?.shutdown());

  it("fails not one request", async () => {
    const inRotation = new Set(["api-1", "api-2"]);
    const gatewayOf = (id: string) => httpClient(`http://127.0.0.1:${cluster.nodes.get(id)!.port}`);
    const load = startLoadOn(cluster, {
      gateways: () => [...inRotation].map(gatewayOf),
      readers: 6,
      writers: 2,
      // A careful client resends a create on 503, so only count a create that finally failed.
      createRetries: 0,
    });
    await sleep(2_000);
    for (const id of ["cat-1", "res-1", "api-1", "cat-2", "res-2", "api-2"]) {
      const gateway = cluster.nodes.get(id)!.port !== undefined;
      if (gateway) inRotation.delete(id);
      expect(await cluster.stop(id)).toBe(0);
      const node = await cluster.start(id);
      if (gateway) {
        await waitUntilReady(`http://127.0.0.1:${node.port}`, [node.process], 30_000);
        inRotation.add(id);
      }
      // Let the restarted node be found by the others before its twin goes.
      await sleep(1_500);
    }
    await sleep(2_000);
    await load.stop();

    const summary = tally(load.outcomes);
    const failed = load.outcomes.filter(o => o.status !== 200 && o.status !== 201);
    expect({ failed: failed.slice(0, 10), summary }).toEqual({ failed: [], summary });
    expect(load.of("create").length).toBeGreaterThan(10);
  }, 150_000);
});
