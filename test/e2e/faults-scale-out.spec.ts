/**
 * Scale out under load: a second and a third `reservations` node join while readers and writers
 * load the system. Each new node serves a share of the calls (its own Prometheus metrics say
 * so), and no request fails meanwhile.
 */
import { requestsOn, startCluster, type Cluster } from "../support/cluster";
import { startLoadOn, tally } from "../support/load";

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
const SERVED = ["reservations.get", "reservations.availability", "reservations.create"];

describe("scale out: reservations nodes added under load", () => {
  let cluster: Cluster;

  beforeAll(async () => {
    cluster = await startCluster({
      layout: {
        "catalogue-1": "users,spaces,notifications,reports",
        "res-1": "reservations",
        "api-1": "api",
      },
    });
  }, 120_000);

  afterAll(() => cluster?.shutdown());

  it("spreads the calls over the new nodes, and no request fails", async () => {
    const load = startLoadOn(cluster, {
      readers: 6,
      writers: 3,
    });
    await sleep(3_000);
    await cluster.start("res-2", "reservations");
    await sleep(2_000);
    await cluster.start("res-3", "reservations");
    await sleep(12_000);
    await load.stop();

    const summary = tally(load.outcomes);
    const failed = load.outcomes.filter(o => o.status !== 200 && o.status !== 201);
    expect({ failed, summary }).toEqual({ failed: [], summary });

    const served: Record<string, number> = {};
    for (const id of ["res-1", "res-2", "res-3"]) {
      let total = 0;
      for (const action of SERVED) total += await requestsOn(cluster.nodes.get(id)!, action);
      served[id] = total;
    }
    // Every node took calls; the newest ran for about 12 s of the load, so at least a few each.
    for (const id of ["res-1", "res-2", "res-3"]) expect(served[id]).toBeGreaterThan(10);
  }, 90_000);
});
