import { createKeyedTurns } from "../../../lib/keyed-turns";

const tick = () => new Promise(resolve => setImmediate(resolve));

describe("keyed turns", () => {
  it("runs work of one key one after the other, in the order asked", async () => {
    const turns = createKeyedTurns();
    const log: string[] = [];
    let release!: () => void;
    const first = turns("a", async () => {
      log.push("first starts");
      await new Promise<void>(resolve => (release = resolve));
      log.push("first ends");
      return 1;
    });
    const second = turns("a", async () => {
      log.push("second runs");
      return 2;
    });
    await tick();
    expect(log).toEqual(["first starts"]);
    release();
    expect(await Promise.all([first, second])).toEqual([1, 2]);
    expect(log).toEqual(["first starts", "first ends", "second runs"]);
  });

  it("runs work of different keys at once", async () => {
    const turns = createKeyedTurns();
    let release!: () => void;
    const blocked = turns("a", () => new Promise<void>(resolve => (release = resolve)));
    expect(await turns("b", async () => "b done")).toBe("b done");
    release();
    await blocked;
  });

  it("a failure is its caller's alone: the next in line still runs", async () => {
    const turns = createKeyedTurns();
    const failing = turns("a", async () => {
      throw new Error("boom");
    });
    const next = turns("a", async () => "ran");
    await expect(failing).rejects.toThrow("boom");
    await expect(next).resolves.toBe("ran");
  });
});
