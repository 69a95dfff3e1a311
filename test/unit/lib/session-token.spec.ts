/**
 * Session tokens: signed by `users` with a key derived from JWT_SECRET, checked anywhere with the
 * public half only. The refusals here are what keeps a gateway that holds a public key from being
 * talked into accepting a token nobody signed.
 */
import { createPrivateKey, generateKeyPairSync } from "node:crypto";
import jwt from "jsonwebtoken";
import {
  importSessionPublicKey,
  sessionKeyId,
  tokenKeyId,
  verifySessionToken,
} from "../../../lib/session-token";
import { deriveSessionKey, signSessionToken } from "../../../services/users/session-token";

const SECRET = "q7Vx2mP9sL4kR8tW1nB6yH3cF5jD0gZa";
const OTHER_SECRET = "Zt3Kp8Rw2Lm6Qx9Vb1Nc4Hs7Jd0Fg5Ya";

function refusal(fn: () => unknown): { code: number; type: string } {
  try {
    fn();
  } catch (err) {
    return err as { code: number; type: string };
  }
  throw new Error("expected the token to be refused");
}

describe("session token keys", () => {
  it("derives the same ES256 key from the same secret, and another from another", () => {
    const a = deriveSessionKey(SECRET);
    const b = deriveSessionKey(SECRET);
    const c = deriveSessionKey(OTHER_SECRET);
    expect(a.kid).toBe(b.kid);
    expect(a.jwk).toEqual(b.jwk);
    expect(c.kid).not.toBe(a.kid);
    expect(a.privateKey.asymmetricKeyDetails?.namedCurve).toBe("prime256v1");
    expect(a.jwk).toEqual({
      kty: "EC",
      crv: "P-256",
      x: expect.any(String),
      y: expect.any(String),
      kid: a.kid,
      alg: "ES256",
      use: "sig",
    });
    // The public half carries nothing private.
    expect(a.jwk).not.toHaveProperty("d");
    expect(a.kid).toBe(sessionKeyId(a.jwk));
  });

  it("imports a published key only when its id is its thumbprint and it is a P-256 key", () => {
    const key = deriveSessionKey(SECRET);
    expect(importSessionPublicKey(key.jwk).type).toBe("public");
    const other = deriveSessionKey(OTHER_SECRET).jwk;
    expect(() => importSessionPublicKey({ ...other, kid: key.kid })).toThrow(/thumbprint/);
    expect(() => importSessionPublicKey({ ...key.jwk, crv: "P-384" as "P-256" })).toThrow();
  });
});

describe("session tokens", () => {
  const key = deriveSessionKey(SECRET);
  const publicKey = importSessionPublicKey(key.jwk);
  const claims = { sub: "user-1", ver: 3 };

  it("round-trips the claims, naming the key that signed them", () => {
    const token = signSessionToken(claims, key, "8h");
    expect(tokenKeyId(token)).toBe(key.kid);
    expect(verifySessionToken(token, publicKey)).toEqual({
      ...claims,
      exp: expect.any(Number),
    });
    expect(JSON.parse(Buffer.from(token.split(".")[0], "base64url").toString())).toMatchObject({
      alg: "ES256",
      kid: key.kid,
    });
  });

  it("refuses an expired token as expired", () => {
    const token = signSessionToken(claims, key, -10);
    expect(refusal(() => verifySessionToken(token, publicKey))).toMatchObject({
      code: 401,
      type: "TOKEN_EXPIRED",
    });
  });

  it("refuses algorithm confusion: none, and HMAC keyed with the public key", () => {
    const pem = publicKey.export({ format: "pem", type: "spki" }).toString();
    const unsigned = jwt.sign({ ver: 3 }, "", {
      algorithm: "none",
      subject: "user-1",
      issuer: "mindspaces",
      keyid: key.kid,
    });
    // The classic attack on a verifier that takes the algorithm from the token: HS256 whose
    // "secret" is the public key everybody may know.
    const hmacWithPem = jwt.sign({ ver: 3 }, pem, {
      algorithm: "HS256",
      subject: "user-1",
      issuer: "mindspaces",
      keyid: key.kid,
    });
    const hmacWithJwk = jwt.sign({ ver: 3 }, JSON.stringify(key.jwk), {
      algorithm: "HS256",
      subject: "user-1",
      issuer: "mindspaces",
      keyid: key.kid,
    });
    const hmacWithSecret = jwt.sign({ ver: 3 }, SECRET, {
      algorithm: "HS256",
      subject: "user-1",
      issuer: "mindspaces",
      keyid: key.kid,
    });
    for (const token of [unsigned, hmacWithPem, hmacWithJwk, hmacWithSecret]) {
      expect(refusal(() => verifySessionToken(token, publicKey))).toMatchObject({
        code: 401,
        type: "TOKEN_INVALID",
      });
    }
  });

  it("refuses tokens signed by another key, on another curve, tampered, or for another issuer", () => {
    const stranger = signSessionToken(claims, deriveSessionKey(OTHER_SECRET), "8h");
    const p384 = generateKeyPairSync("ec", { namedCurve: "secp384r1" }).privateKey;
    const otherCurve = jwt.sign({ ver: 3 }, p384, {
      algorithm: "ES384",
      subject: "user-1",
      issuer: "mindspaces",
      keyid: key.kid,
    });
    const otherIssuer = jwt.sign({ ver: 3 }, key.privateKey, {
      algorithm: "ES256",
      subject: "user-1",
      issuer: "someone-else",
      keyid: key.kid,
    });
    const noVersion = jwt.sign({}, key.privateKey, {
      algorithm: "ES256",
      subject: "user-1",
      issuer: "mindspaces",
      expiresIn: "1h",
    });
    const noExpiry = jwt.sign({ ver: 3 }, key.privateKey, {
      algorithm: "ES256",
      subject: "user-1",
      issuer: "mindspaces",
    });
    const [header, payload, signature] = signSessionToken(claims, key, "8h").split(".");
    const raised = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, "base64url").toString()), ver: 4 }),
    ).toString("base64url");
    const tampered = `${header}.${raised}.${signature}`;
    for (const token of [stranger, otherCurve, otherIssuer, noVersion, noExpiry, tampered, "x"]) {
      expect(refusal(() => verifySessionToken(token, publicKey))).toMatchObject({
        code: 401,
        type: "TOKEN_INVALID",
      });
    }
  });

  it("reads a usable key id only", () => {
    expect(tokenKeyId("garbage")).toBeNull();
    const weird = jwt.sign(
      { ver: 1 },
      createPrivateKey(key.privateKey.export({ format: "pem", type: "pkcs8" })),
      {
        algorithm: "ES256",
        keyid: "../../etc/passwd",
      },
    );
    expect(tokenKeyId(weird)).toBeNull();
  });
});
