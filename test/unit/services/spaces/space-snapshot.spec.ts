import { coalesced } from "../../../../lib/versioned-snapshot";
import {
  candidatesFor,
  snapshotOf,
  SpaceSnapshot,
  type SnapshotStore,
} from "../../../../services/spaces/space-snapshot";
import type { SpaceRecord } from "../../../../services/spaces/space-record";
import { randomCatalogue } from "../../../support/space-search-cases";

/** A promise and the functions that settle it, for ordering steps by hand. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A store whose stamp and records the test changes, and which counts what it was asked. */
function fakeStore(initial: SpaceRecord[]) {
  const state = { stamp: "s1" as string | null, records: initial, stampReads: 0, loads: 0 };
  const store: SnapshotStore = {
    readStamp: async () => {
      state.stampReads++;
      return state.stamp;
    },
    loadSpaces: async () => {
      state.loads++;
      return state.records.map(record => structuredClone(record));
    },
  };
  return { state, store };
}

/** Lets every settled promise's callbacks run. */
const settle = () => new Promise(resolve => setImmediate(resolve));

/** A coalesced task whose runs the test settles by hand, in the order they began. */
function controlledRuns() {
  const runs: ReturnType<typeof deferred<number>>[] = [];
  const next = coalesced(() => {
    const run = deferred<number>();
    runs.push(run);
    return run.promise;
  });
  return { runs, next };
}

describe("coalesced runs", () => {
  it("never joins a run under way, and lets everyone who asks meanwhile share the next", async () => {
    const { runs, next } = controlledRuns();
    const first = next();
    const second = next();
    const third = next();
    expect(runs).toHaveLength(1);
    runs[0].resolve(1);
    await expect(first).resolves.toBe(1);
    await settle();
    // The second run began only after the first ended, and serves both later callers.
    expect(runs).toHaveLength(2);
    runs[1].resolve(2);
    await expect(second).resolves.toBe(2);
    await expect(third).resolves.toBe(2);
    const fourth = next();
    expect(runs).toHaveLength(3);
    runs[2].resolve(3);
    await expect(fourth).resolves.toBe(3);
  });

  it("starts the next run after a failed one, and hands the failure only to its own callers", async () => {
    const { runs, next } = controlledRuns();
    const failing = next();
    const after = next();
    runs[0].reject(new Error("store down"));
    await expect(failing).rejects.toThrow("store down");
    await settle();
    runs[1].resolve(7);
    await expect(after).resolves.toBe(7);
  });
});

describe("the space snapshot", () => {
  const catalogue = randomCatalogue(11, 30);

  it("loads once, then answers from memory while the stamp stays the same", async () => {
    const { state, store } = fakeStore(catalogue);
    const snapshot = new SpaceSnapshot(store);
    const first = await snapshot.read();
    const second = await snapshot.read();
    expect(second).toBe(first);
    expect(state.loads).toBe(1);
    expect(state.stampReads).toBe(3); // the load's own, and one per read
    expect(first.spaces).toHaveLength(30);
  });

  it("reloads when the stamp changed, and shows the change", async () => {
    const { state, store } = fakeStore(catalogue);
    const snapshot = new SpaceSnapshot(store);
    await snapshot.read();
    state.records = state.records.map(r =>
      r._id === catalogue[0]._id ? { ...r, active: !r.active } : r,
    );
    state.stamp = "s2";
    const after = await snapshot.read();
    expect(state.loads).toBe(2);
    expect(after.stamp).toBe("s2");
    expect(after.byId.get(catalogue[0]._id)?.active).toBe(!catalogue[0].active);
  });

  it("reads the stamp before the records, so a change written during a load reloads next time", async () => {
    const { state, store } = fakeStore(catalogue);
    const changeDuringLoad = store.loadSpaces;
    store.loadSpaces = async () => {
      // A change lands between the load's stamp read and its record read.
      state.records = [...state.records, { ...catalogue[0], _id: "new-space" }];
      state.stamp = "s2";
      return changeDuringLoad();
    };
    const snapshot = new SpaceSnapshot(store);
    const first = await snapshot.read();
    expect(first.stamp).toBe("s1");
    store.loadSpaces = changeDuringLoad;
    const second = await snapshot.read();
    expect(second.stamp).toBe("s2");
    expect(second.byId.has("new-space")).toBe(true);
  });

  it("shares one load among concurrent readers", async () => {
    const { state, store } = fakeStore(catalogue);
    const snapshot = new SpaceSnapshot(store);
    const answers = await Promise.all(Array.from({ length: 20 }, () => snapshot.read()));
    expect(new Set(answers).size).toBe(1);
    expect(state.loads).toBe(1);
    // 20 readers, but the stamp was read by at most two coalesced runs and the load.
    expect(state.stampReads).toBeLessThanOrEqual(3);
  });

  it("never hands a reader a load that began before the change it must see", async () => {
    const { state, store } = fakeStore(catalogue);
    const load = deferred<void>();
    const plainLoad = store.loadSpaces;
    store.loadSpaces = async () => {
      // Reads the records as they are before the change, and answers only when let go.
      const records = await plainLoad();
      await load.promise;
      return records;
    };
    const snapshot = new SpaceSnapshot(store);
    const early = snapshot.read(); // its load has read stamp s1 and waits for the records
    await settle();
    // A change completes: stored, then stamped. Then a new request begins.
    state.records = state.records.filter(r => r._id !== catalogue[1]._id);
    state.stamp = "s2";
    const late = snapshot.read();
    await settle();
    store.loadSpaces = plainLoad;
    load.resolve();
    const before = await early;
    expect(before.stamp).toBe("s1");
    expect(before.byId.has(catalogue[1]._id)).toBe(true);
    const answer = await late;
    expect(answer.stamp).toBe("s2");
    expect(answer.byId.has(catalogue[1]._id)).toBe(false);
  });

  it("answers nothing from memory when the stamp cannot be read", async () => {
    const { store } = fakeStore(catalogue);
    const snapshot = new SpaceSnapshot(store);
    await snapshot.read();
    store.readStamp = () => Promise.reject(new Error("connection refused"));
    await expect(snapshot.read()).rejects.toThrow("connection refused");
  });

  it("orders by capacity, name and id, without outboxes, frozen", () => {
    const withOutbox = catalogue.map(r => ({
      ...r,
      outboxPending: true as const,
      outboxIds: ["e"],
    }));
    const { spaces, byId } = snapshotOf("s", withOutbox);
    const keys = spaces.map(s => [s.capacity, s.name, s._id] as const);
    const sorted = [...keys].sort(
      (a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) || (a[2] < b[2] ? -1 : 1),
    );
    expect(keys).toEqual(sorted);
    expect(byId.size).toBe(catalogue.length);
    expect(spaces[0]).not.toHaveProperty("outboxPending");
    expect(spaces[0]).not.toHaveProperty("outboxIds");
    expect(Object.isFrozen(spaces[0].location)).toBe(true);
    expect(() => {
      (spaces[0].equipment as string[]).push("x");
    }).toThrow(TypeError);
  });

  it("offers a search naming a site only that site's spaces, in the same order", () => {
    const snapshot = snapshotOf("s", randomCatalogue(7, 60));
    const sites = [...new Set(snapshot.spaces.map(s => s.siteKey))];
    expect(sites.length).toBeGreaterThan(1);
    for (const site of sites) {
      const candidates = candidatesFor(snapshot, { active: true, siteKey: site });
      expect(candidates).toEqual(snapshot.spaces.filter(s => s.siteKey === site));
    }
    expect(candidatesFor(snapshot, { siteKey: "no such site" })).toEqual([]);
    expect(candidatesFor(snapshot, { active: true })).toBe(snapshot.spaces);
  });
});
