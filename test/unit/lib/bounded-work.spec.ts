import { createBoundedWork } from "../../../lib/bounded-work";

class Refused extends Error {}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>(r => (resolve = r));
  return { promise, resolve };
}

function bounded(concurrency: number, maxWaiting: number, maxWaitMs = 60_000) {
  return createBoundedWork({
    concurrency,
    maxWaiting,
    maxWaitMs,
    refuse: () => {
      throw new Refused("busy");
    },
  });
}

describe("createBoundedWork", () => {
  it("runs at most `concurrency` at once, the waiting ones in order as turns free up", async () => {
    const work = bounded(2, 10);
    const gates = [deferred(), deferred(), deferred(), deferred()];
    const started: number[] = [];
    const calls = gates.map((gate, i) =>
      work(async () => {
        started.push(i);
        await gate.promise;
        return i;
      }),
    );
    await new Promise(r => setImmediate(r));
    expect(started).toEqual([0, 1]);
    gates[1].resolve();
    await calls[1];
    await new Promise(r => setImmediate(r));
    expect(started).toEqual([0, 1, 2]);
    gates[0].resolve();
    gates[2].resolve();
    gates[3].resolve();
    expect(await Promise.all(calls)).toEqual([0, 1, 2, 3]);
  });

  it("refuses at once when `maxWaiting` calls wait already, and runs nothing for it", async () => {
    const work = bounded(1, 1);
    const gate = deferred();
    const running = work(() => gate.promise);
    const waiting = work(async () => "waited");
    let ran = false;
    await expect(
      work(async () => {
        ran = true;
      }),
    ).rejects.toBeInstanceOf(Refused);
    expect(ran).toBe(false);
    gate.resolve();
    await running;
    expect(await waiting).toBe("waited");
  });

  it("refuses a call that waited `maxWaitMs`, and gives its place to the next", async () => {
    const work = bounded(1, 5, 50);
    const gate = deferred();
    const running = work(() => gate.promise);
    const tooLate = work(async () => "never");
    await expect(tooLate).rejects.toBeInstanceOf(Refused);
    gate.resolve();
    await running;
    expect(await work(async () => "after")).toBe("after");
  });

  it("frees the turn of work that failed", async () => {
    const work = bounded(1, 0);
    await expect(work(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await work(async () => "next")).toBe("next");
  });
});
