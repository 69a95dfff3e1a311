import DbService from "moleculer-db";
import type { ServiceBroker } from "moleculer";
import type { DbAdapter } from "moleculer-db";
import { UpgradePasses, WRITES_KEYS } from "../../../lib/upgrade-passes";
import { withNativePromises } from "../../../mixins/nedb-promises";

async function store(): Promise<DbAdapter> {
  const adapter = withNativePromises(new DbService.MemoryAdapter());
  adapter.init({} as never, { schema: {}, logger: console } as never);
  await adapter.connect();
  return adapter;
}

/** A broker whose registry lists these instances of `reservations` (their metadata). */
function brokerListing(instances: Record<string, unknown>[]) {
  const listed = { instances };
  const broker = {
    registry: {
      getServiceList: () => listed.instances.map(metadata => ({ name: "reservations", metadata })),
    },
  } as unknown as ServiceBroker;
  return { broker, listed };
}

const current = { [WRITES_KEYS]: ["dayKeys", "openKeys"] };
const older = { flagsOutboxes: true };

describe("start-up passes remembered once done (lib/upgrade-passes.ts)", () => {
  it("runs a pass until it has finished once, then skips it", async () => {
    const { broker } = brokerListing([current]);
    const passes = new UpgradePasses(await store(), broker, "reservations");
    const body = jest.fn(async () => 3);
    expect(await passes.run("dayKeys", body)).toBe(3);
    expect(await passes.run("dayKeys", body)).toBe(0);
    expect(body).toHaveBeenCalledTimes(1);
    // Another pass is its own.
    expect(await passes.run("openKeys", async () => 1)).toBe(1);
  });

  it("does not remember a pass that stopped before it was done", async () => {
    const { broker } = brokerListing([current]);
    const passes = new UpgradePasses(await store(), broker, "reservations");
    expect(await passes.run("dayKeys", async () => null)).toBeNull();
    const body = jest.fn(async () => 0);
    await passes.run("dayKeys", body);
    expect(body).toHaveBeenCalledTimes(1);
  });

  it("runs a pass every time while an instance that does not write its keys is listed", async () => {
    const { broker, listed } = brokerListing([current, older]);
    const marks = await store();
    const passes = new UpgradePasses(marks, broker, "reservations");
    const body = jest.fn(async () => 0);
    await passes.run("dayKeys", body);
    await passes.run("dayKeys", body);
    expect(body).toHaveBeenCalledTimes(2);
    expect(await marks.findById("dayKeys")).toBeFalsy();

    // The older instance is gone: the next pass is remembered.
    listed.instances = [current];
    await passes.run("dayKeys", body);
    await passes.run("dayKeys", body);
    expect(body).toHaveBeenCalledTimes(3);
  });

  it("forgets a pass when an instance that does not write its keys appears", async () => {
    const { broker, listed } = brokerListing([current]);
    const marks = await store();
    const passes = new UpgradePasses(marks, broker, "reservations");
    await passes.run("dayKeys", async () => 0);
    await passes.run("openKeys", async () => 0);

    // One writing the day keys but not the open keys (a version between).
    listed.instances = [current, { [WRITES_KEYS]: ["dayKeys"] }];
    await passes.forgetWhereOlder(["dayKeys", "openKeys"]);
    expect(await marks.findById("dayKeys")).toBeTruthy();
    expect(await marks.findById("openKeys")).toBeFalsy();

    // Once it is gone, the next start runs the open keys' pass again.
    listed.instances = [current];
    const body = jest.fn(async () => 2);
    expect(await passes.run("openKeys", body)).toBe(2);
    expect(body).toHaveBeenCalledTimes(1);
  });

  it("takes two instances finishing a pass at once", async () => {
    const { broker } = brokerListing([current, current]);
    const marks = await store();
    const one = new UpgradePasses(marks, broker, "reservations");
    const other = new UpgradePasses(marks, broker, "reservations");
    await Promise.all([one.run("dayKeys", async () => 0), other.run("dayKeys", async () => 0)]);
    expect(await marks.count({ query: {} })).toBe(1);
  });
});
