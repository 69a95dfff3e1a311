import type { DbAdapter } from "moleculer-db";
import { RELEASE_RETRIES_MS, withLock } from "../../../lib/store-lock";

/** A `locks` collection in memory whose removes the store refuses `refusals` times first. */
function lockStore(refusals: number) {
  const held = new Map<string, { _id: string; holder: string; takenAt: string }>();
  let refused = 0;
  const adapter = {
    async insert(doc: { _id: string; holder: string; takenAt: string }) {
      if (held.has(doc._id)) throw Object.assign(new Error("duplicate key"), { code: 11000 });
      held.set(doc._id, doc);
      return doc;
    },
    async findOne(query: { _id: string }) {
      return held.get(query._id) ?? null;
    },
    async removeMany(query: { _id: string; holder: string }) {
      if (refused < refusals) {
        refused += 1;
        throw new Error("connection closed");
      }
      if (held.get(query._id)?.holder === query.holder) held.delete(query._id);
      return 1;
    },
  };
  return { locks: adapter as unknown as DbAdapter, held };
}

describe("withLock (lib/store-lock.ts)", () => {
  afterEach(() => jest.useRealTimers());

  it("answers with the work's result when the store refuses the release, and releases later", async () => {
    jest.useFakeTimers();
    const { locks, held } = lockStore(2);
    const made = await withLock(
      locks,
      "booking",
      async () => "made",
      () => "held",
    );
    // The booking stands: its caller is not told it failed, so nobody books it twice.
    expect(made).toBe("made");
    expect(held.has("booking")).toBe(true);
    await jest.advanceTimersByTimeAsync(RELEASE_RETRIES_MS[0]);
    expect(held.has("booking")).toBe(true);
    await jest.advanceTimersByTimeAsync(RELEASE_RETRIES_MS[1]);
    expect(held.has("booking")).toBe(false);
    expect(
      await withLock(
        locks,
        "booking",
        async () => "again",
        () => "held",
      ),
    ).toBe("again");
  });

  it("throws the work's own error, not the refused release's", async () => {
    jest.useFakeTimers();
    const { locks } = lockStore(1);
    await expect(
      withLock(
        locks,
        "booking",
        async () => {
          throw new Error("slot taken");
        },
        () => "held",
      ),
    ).rejects.toThrow("slot taken");
  });

  it("leaves a lock whose every release was refused to be taken over once stale", async () => {
    jest.useFakeTimers();
    const { locks, held } = lockStore(1 + RELEASE_RETRIES_MS.length);
    await withLock(
      locks,
      "booking",
      async () => "made",
      () => "held",
    );
    await jest.advanceTimersByTimeAsync(RELEASE_RETRIES_MS.reduce((a, b) => a + b, 0));
    expect(held.has("booking")).toBe(true);
    // Held, so a caller that does not wait is answered by `whenHeld`...
    expect(
      await withLock(
        locks,
        "booking",
        async () => "ran",
        () => "held",
        { waitMs: 0 },
      ),
    ).toBe("held");
    // ...until it is older than `staleMs`.
    jest.setSystemTime(Date.now() + 31_000);
    expect(
      await withLock(
        locks,
        "booking",
        async () => "ran",
        () => "held",
        { waitMs: 0 },
      ),
    ).toBe("ran");
  });
});
