/** The gateway's public keys: fetched when a token names an unknown one, and not more often. */
import { createSessionKeyRing, runsUsers } from "../../../../services/api/session-keys";
import { deriveSessionKey } from "../../../../services/users/session-token";

const current = deriveSessionKey("q7Vx2mP9sL4kR8tW1nB6yH3cF5jD0gZa");
const rotated = deriveSessionKey("Zt3Kp8Rw2Lm6Qx9Vb1Nc4Hs7Jd0Fg5Ya");

describe("gateway session key ring", () => {
  it("fetches the keys once for many requests, then knows them", async () => {
    const fetchKeys = jest.fn(async () => ({ keys: [current.jwk] }));
    const ring = createSessionKeyRing({ fetchKeys });
    const keys = await Promise.all([ring.keyFor(current.kid), ring.keyFor(current.kid)]);
    expect(keys.every(k => k?.type === "public")).toBe(true);
    await ring.keyFor(current.kid);
    expect(fetchKeys).toHaveBeenCalledTimes(1);
  });

  it("fetches again for an unknown key id (a rotated secret), at most once per interval", async () => {
    let clock = 0;
    let published = [current.jwk];
    const fetchKeys = jest.fn(async () => ({ keys: published }));
    const ring = createSessionKeyRing({ fetchKeys, refetchIntervalMs: 1000, now: () => clock });
    await ring.keyFor(current.kid);
    published = [rotated.jwk];
    clock = 10;
    // Too soon after the last fetch: a flood of made-up ids costs no calls.
    await expect(ring.keyFor(rotated.kid)).resolves.toBeNull();
    await expect(ring.keyFor("made-up")).resolves.toBeNull();
    expect(fetchKeys).toHaveBeenCalledTimes(1);
    clock = 1010;
    await expect(ring.keyFor(rotated.kid)).resolves.not.toBeNull();
    // The rotated-out key is gone with the fetch that brought the new one.
    await expect(ring.keyFor(current.kid)).resolves.toBeNull();
    expect(fetchKeys).toHaveBeenCalledTimes(2);
  });

  it("forgets its keys on clear (a node came or went) and fetches again at the next token", async () => {
    let published = [current.jwk];
    const fetchKeys = jest.fn(async () => ({ keys: published }));
    const ring = createSessionKeyRing({ fetchKeys });
    await expect(ring.keyFor(current.kid)).resolves.not.toBeNull();
    published = [rotated.jwk];
    ring.clear();
    // Without the clear, the old key would keep passing tokens signed with a retired secret.
    await expect(ring.keyFor(current.kid)).resolves.toBeNull();
    await expect(ring.keyFor(rotated.kid)).resolves.not.toBeNull();
    expect(fetchKeys).toHaveBeenCalledTimes(2);
  });

  it("fetches again when a node comes or goes during a fetch, so the waiting token still passes", async () => {
    let answer: (() => void) | null = null;
    const fetchKeys = jest.fn(async () => {
      if (fetchKeys.mock.calls.length === 1) await new Promise<void>(r => (answer = r));
      return { keys: [current.jwk] };
    });
    const ring = createSessionKeyRing({ fetchKeys });
    const waiting = ring.keyFor(current.kid);
    await Promise.resolve();
    ring.clear();
    answer!();
    // The first answer predates the clear and is not used, but the token is not refused for it.
    await expect(waiting).resolves.not.toBeNull();
    expect(fetchKeys).toHaveBeenCalledTimes(2);
  });

  it("passes on a failure to fetch (users down) and tries again on the next token", async () => {
    const fetchKeys = jest
      .fn()
      .mockRejectedValueOnce(Object.assign(new Error("down"), { type: "SERVICE_NOT_FOUND" }))
      .mockResolvedValueOnce({ keys: [current.jwk] });
    const ring = createSessionKeyRing({ fetchKeys });
    await expect(ring.keyFor(current.kid)).rejects.toMatchObject({ type: "SERVICE_NOT_FOUND" });
    await expect(ring.keyFor(current.kid)).resolves.not.toBeNull();
  });

  it("fetches once to be ready, so a gateway that never reached users cannot judge a token", async () => {
    const fetchKeys = jest
      .fn()
      .mockRejectedValueOnce(Object.assign(new Error("down"), { type: "SERVICE_NOT_FOUND" }))
      .mockResolvedValue({ keys: [current.jwk] });
    const ring = createSessionKeyRing({ fetchKeys });
    await expect(ring.ensureLoaded()).rejects.toMatchObject({ type: "SERVICE_NOT_FOUND" });
    await ring.ensureLoaded();
    await ring.ensureLoaded();
    expect(fetchKeys).toHaveBeenCalledTimes(2);
  });

  it("refuses a published key whose id is not its own", async () => {
    const ring = createSessionKeyRing({
      fetchKeys: async () => ({ keys: [{ ...rotated.jwk, kid: current.kid }] }),
    });
    await expect(ring.keyFor(current.kid)).rejects.toThrow(/thumbprint/);
  });
});

describe("which joining nodes make the gateway fetch its keys again", () => {
  it("a node running users, or one it cannot tell; not others", () => {
    expect(runsUsers({ services: [{ name: "$node" }, { name: "users" }] })).toBe(true);
    expect(runsUsers(undefined)).toBe(true);
    expect(runsUsers({ services: [{ name: "$node" }, { name: "reservations" }] })).toBe(false);
  });
});
