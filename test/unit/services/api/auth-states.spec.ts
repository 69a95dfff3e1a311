/**
 * The gateway's copy of users' auth states: asked once per user, replaced by every broadcast, and
 * never allowed to keep an answer that a missed or concurrent change could have made stale.
 */
import { createAuthStates } from "../../../../services/api/auth-states";
import type { UserAuthState } from "../../../../lib/events/user-auth-events";

const ann = (changes: Partial<UserAuthState> = {}): UserAuthState => ({
  id: "ann",
  tokenVersion: 0,
  active: true,
  role: "member",
  locale: "nl",
  ...changes,
});

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>(r => (resolve = r));
  return { promise, resolve };
}

describe("gateway auth states", () => {
  it("asks users once per user, also for requests that arrive together", async () => {
    const fetchState = jest.fn(async (id: string) => (id === "ann" ? ann() : null));
    const states = createAuthStates({ fetchState });
    const answers = await Promise.all([states.get("ann"), states.get("ann"), states.get("ann")]);
    expect(answers).toEqual([ann(), ann(), ann()]);
    await states.get("ann");
    expect(fetchState).toHaveBeenCalledTimes(1);
    await expect(states.get("nobody")).resolves.toBeNull();
    // An unknown id is not remembered: it may be registered on another node a moment later.
    await states.get("nobody");
    expect(fetchState).toHaveBeenCalledTimes(3);
  });

  it("takes each broadcast as the newest state, without asking", async () => {
    const fetchState = jest.fn(async () => ann());
    const states = createAuthStates({ fetchState });
    await states.get("ann");
    states.apply({ id: "ann", state: ann({ role: "manager", locale: "en" }) });
    await expect(states.get("ann")).resolves.toMatchObject({ role: "manager", locale: "en" });
    states.apply({ id: "ann", state: ann({ active: false, tokenVersion: 1 }) });
    await expect(states.get("ann")).resolves.toMatchObject({ active: false, tokenVersion: 1 });
    expect(fetchState).toHaveBeenCalledTimes(1);
  });

  it("keeps a broadcast that arrives while users is being asked, not the older answer", async () => {
    const answer = deferred<UserAuthState>();
    const states = createAuthStates({ fetchState: () => answer.promise });
    const asked = states.get("ann");
    states.apply({ id: "ann", state: ann({ active: false, tokenVersion: 1 }) });
    answer.resolve(ann());
    await expect(asked).resolves.toMatchObject({ active: false });
    await expect(states.get("ann")).resolves.toMatchObject({ active: false });
  });

  it("keeps an erasure as an absent user, also against an answer asked for before it", async () => {
    const answer = deferred<UserAuthState>();
    const fetchState = jest.fn(() => answer.promise);
    const states = createAuthStates({ fetchState });
    const asked = states.get("ann");
    states.apply({ id: "ann", state: null });
    answer.resolve(ann());
    await expect(asked).resolves.toBeNull();
    await expect(states.get("ann")).resolves.toBeNull();
    expect(fetchState).toHaveBeenCalledTimes(1);
  });

  it("forgets everything on clear, and does not keep an answer asked for before it", async () => {
    const answers = [deferred<UserAuthState>(), deferred<UserAuthState>()];
    let call = 0;
    const states = createAuthStates({ fetchState: () => answers[call++].promise });
    const before = states.get("ann");
    states.clear();
    // A request after the clear asks again rather than share the answer begun before it.
    const after = states.get("ann");
    answers[0].resolve(ann());
    answers[1].resolve(ann({ role: "admin" }));
    await before;
    await expect(after).resolves.toMatchObject({ role: "admin" });
    await expect(states.get("ann")).resolves.toMatchObject({ role: "admin" });
    expect(call).toBe(2);

    states.clear();
    expect(states.size).toBe(0);
  });

  it("asks again once an entry is older than its time to live", async () => {
    let clock = 0;
    const fetchState = jest.fn(async () => ann());
    const states = createAuthStates({ fetchState, ttlMs: 1000, now: () => clock });
    await states.get("ann");
    clock = 999;
    await states.get("ann");
    expect(fetchState).toHaveBeenCalledTimes(1);
    clock = 1000;
    await states.get("ann");
    expect(fetchState).toHaveBeenCalledTimes(2);
  });

  it("holds at most maxEntries, dropping the least recently stored", async () => {
    const states = createAuthStates({ fetchState: async id => ann({ id }), maxEntries: 2 });
    for (const id of ["a", "b", "c"]) await states.get(id);
    expect(states.size).toBe(2);
  });

  it("passes a failure to ask on, and asks again next time", async () => {
    const fetchState = jest
      .fn<Promise<UserAuthState | null>, [string]>()
      .mockRejectedValueOnce(Object.assign(new Error("down"), { type: "SERVICE_NOT_FOUND" }))
      .mockResolvedValueOnce(ann());
    const states = createAuthStates({ fetchState });
    await expect(states.get("ann")).rejects.toMatchObject({ type: "SERVICE_NOT_FOUND" });
    await expect(states.get("ann")).resolves.toEqual(ann());
  });
});
