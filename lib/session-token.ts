/**
 * Session tokens as every node reads them: ES256 JWTs with an issuer, an expiry and a key id
 * (`kid`). `users` alone holds the private key and signs (services/users/session-token.ts); the
 * gateway holds only public keys, so it can check a token without a call and without being able
 * to make one.
 *
 * The algorithm is pinned on verification and the key is a P-256 public `KeyObject`, so a token
 * claiming `alg: none`, an HMAC algorithm (HS256 "signed" with the public key as its secret) or
 * any other curve is refused whatever its signature says.
 */
import { createHash, createPublicKey, type KeyObject } from "node:crypto";
import jwt from "jsonwebtoken";
import { ErrorType, fail } from "./errors";

export const SESSION_TOKEN_ALGORITHM = "ES256";
export const SESSION_TOKEN_ISSUER = "mindspaces";

export interface SessionClaims {
  /** The user id. */
  sub: string;
  /** The user's token version; bumping it (deactivation, erasure) revokes older tokens. */
  ver: number;
}

export interface VerifiedSession extends SessionClaims {
  /** Expiry, seconds since the epoch. */
  exp: number;
}

/** A public signing key as `users` hands it out: a JWK (RFC 7517) with its thumbprint as `kid`. */
export interface SessionPublicKey {
  kty: "EC";
  crv: "P-256";
  x: string;
  y: string;
  kid: string;
  alg: typeof SESSION_TOKEN_ALGORITHM;
  use: "sig";
}

/** The JWK thumbprint (RFC 7638) of a P-256 public key: the same key always gets the same id. */
export function sessionKeyId(jwk: { x: string; y: string }): string {
  const canonical = JSON.stringify({ crv: "P-256", kty: "EC", x: jwk.x, y: jwk.y });
  return createHash("sha256").update(canonical).digest("base64url");
}

/**
 * A key handed out by `users`, checked before use: it must be a P-256 public key whose `kid` is
 * its own thumbprint (so a key cannot be filed under another key's id).
 */
export function importSessionPublicKey(jwk: SessionPublicKey): KeyObject {
  if (jwk.kty !== "EC" || jwk.crv !== "P-256" || jwk.alg !== SESSION_TOKEN_ALGORITHM) {
    throw new Error("Session key is not an ES256 public key");
  }
  if (jwk.kid !== sessionKeyId(jwk)) throw new Error("Session key id is not its thumbprint");
  const key = createPublicKey({
    key: { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y },
    format: "jwk",
  });
  if (key.type !== "public" || key.asymmetricKeyDetails?.namedCurve !== "prime256v1") {
    throw new Error("Session key is not a P-256 public key");
  }
  return key;
}

const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The `kid` a token names in its header, unverified; `null` when there is none usable. */
export function tokenKeyId(token: string): string | null {
  const decoded = jwt.decode(token, { complete: true });
  const kid = decoded?.header.kid;
  return typeof kid === "string" && KEY_ID.test(kid) ? kid : null;
}

/** Verifies signature, algorithm, issuer and expiry; refuses with TOKEN_INVALID / TOKEN_EXPIRED. */
export function verifySessionToken(token: string, publicKey: KeyObject): VerifiedSession {
  let payload: string | jwt.JwtPayload;
  try {
    payload = jwt.verify(token, publicKey, {
      algorithms: [SESSION_TOKEN_ALGORITHM],
      issuer: SESSION_TOKEN_ISSUER,
    });
  } catch (err) {
    return fail(
      err instanceof jwt.TokenExpiredError ? ErrorType.TOKEN_EXPIRED : ErrorType.TOKEN_INVALID,
    );
  }
  if (
    typeof payload !== "object" ||
    typeof payload.sub !== "string" ||
    typeof payload.ver !== "number" ||
    typeof payload.exp !== "number"
  ) {
    return fail(ErrorType.TOKEN_INVALID);
  }
  return { sub: payload.sub, ver: payload.ver, exp: payload.exp };
}
