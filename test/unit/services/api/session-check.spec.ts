/**
 * The gateway's whole token check, without a broker: signature by a current key, then the user's
 * auth state. Each refusal here is one `users.resolveToken` makes too.
 */
import { createAuthStates } from "../../../../services/api/auth-states";
import { resolveCaller, type SessionCheckDeps } from "../../../../services/api/session-check";
import { createSessionKeyRing } from "../../../../services/api/session-keys";
import { createVerifiedTokens } from "../../../../services/api/verified-tokens";
import { deriveSessionKey, signSessionToken } from "../../../../services/users/session-token";
import type { UserAuthState } from "../../../../lib/events/user-auth-events";

const current = deriveSessionKey("q7Vx2mP9sL4kR8tW1nB6yH3cF5jD0gZa");
const rotated = deriveSessionKey("Zt3Kp8Rw2Lm6Qx9Vb1Nc4Hs7Jd0Fg5Ya");
const ann: UserAuthState = {
  id: "ann",
  tokenVersion: 2,
  active: true,
  role: "manager",
  locale: "en",
};

function system(published = [current.jwk]) {
  const keys = { published };
  const fetchState = jest.fn(async (id: string) => (id === "ann" ? ann : null));
  const deps: SessionCheckDeps = {
    keys: createSessionKeyRing({ fetchKeys: async () => ({ keys: keys.published }) }),
    states: createAuthStates({ fetchState }),
    verified: createVerifiedTokens(),
  };
  return { deps, keys, fetchState };
}

async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (err) {
    return err as { code: number; type: string };
  }
  throw new Error("expected the token to be refused");
}

describe("the gateway's token check", () => {
  it("turns a good token into the caller from the user's current state", async () => {
    const { deps } = system();
    const token = signSessionToken({ sub: "ann", ver: 2 }, current, "1h");
    await expect(resolveCaller(token, deps)).resolves.toEqual({
      id: "ann",
      role: "manager",
      locale: "en",
    });
    deps.states.apply({ id: "ann", state: { ...ann, role: "admin", locale: "nl" } });
    await expect(resolveCaller(token, deps)).resolves.toMatchObject({
      role: "admin",
      locale: "nl",
    });
  });

  it("refuses revoked, deactivated, erased and unknown users' tokens", async () => {
    const { deps } = system();
    const token = signSessionToken({ sub: "ann", ver: 2 }, current, "1h");
    const older = signSessionToken({ sub: "ann", ver: 1 }, current, "1h");
    const stranger = signSessionToken({ sub: "nobody", ver: 0 }, current, "1h");
    expect(await refusal(resolveCaller(older, deps))).toMatchObject({ type: "TOKEN_INVALID" });
    expect(await refusal(resolveCaller(stranger, deps))).toMatchObject({ type: "TOKEN_INVALID" });
    deps.states.apply({ id: "ann", state: { ...ann, active: false } });
    expect(await refusal(resolveCaller(token, deps))).toMatchObject({
      code: 401,
      type: "ACCOUNT_DEACTIVATED",
    });
    deps.states.apply({ id: "ann", state: null });
    expect(await refusal(resolveCaller(token, deps))).toMatchObject({ type: "TOKEN_INVALID" });
  });

  it("refuses, after a rotation, a token it had already verified with the old key", async () => {
    const { deps, keys } = system();
    const old = signSessionToken({ sub: "ann", ver: 2 }, current, "1h");
    await resolveCaller(old, deps);
    keys.published = [rotated.jwk];
    deps.keys.clear(); // a users node restarted with the new secret
    expect(await refusal(resolveCaller(old, deps))).toMatchObject({ type: "TOKEN_INVALID" });
    const fresh = signSessionToken({ sub: "ann", ver: 2 }, rotated, "1h");
    await expect(resolveCaller(fresh, deps)).resolves.toMatchObject({ id: "ann" });
  });

  it("refuses an expired token even after it was verified once", async () => {
    const { deps } = system();
    const token = signSessionToken({ sub: "ann", ver: 2 }, current, 1);
    await resolveCaller(token, deps);
    await new Promise(resolve => setTimeout(resolve, 1100));
    expect(await refusal(resolveCaller(token, deps))).toMatchObject({ type: "TOKEN_EXPIRED" });
  });

  it("refuses a token without a usable key id", async () => {
    const { deps } = system();
    expect(await refusal(resolveCaller("garbage", deps))).toMatchObject({ type: "TOKEN_INVALID" });
  });
});
