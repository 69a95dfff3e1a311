/**
 * Signing session tokens (their format and verification: lib/session-token.ts). The ES256 key
 * pair is derived from JWT_SECRET, not generated: every `users` instance given the same secret
 * signs with the same key, tokens survive restarts, and rotating the secret rotates the key (and
 * its `kid`), as it did when the secret itself signed.
 */
import {
  createECDH,
  createPrivateKey,
  createPublicKey,
  hkdfSync,
  type KeyObject,
} from "node:crypto";
import jwt from "jsonwebtoken";
import {
  SESSION_TOKEN_ALGORITHM,
  SESSION_TOKEN_ISSUER,
  sessionKeyId,
  type SessionClaims,
  type SessionPublicKey,
} from "../../lib/session-token";

export interface SessionSigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The public half as handed to gateways. */
  jwk: SessionPublicKey;
}

/** The order of the P-256 group. */
const P256_ORDER = BigInt("0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");

/**
 * HKDF-SHA-256 of the secret to 48 bytes, reduced into [1, n−1] (FIPS 186-5 A.2.1: the 128 extra
 * bits make the bias negligible) as the private scalar.
 */
export function deriveSessionKey(secret: string): SessionSigningKey {
  const okm = Buffer.from(
    hkdfSync("sha256", secret, "mindspaces", "session token signing key ES256 v1", 48),
  );
  const scalar = (BigInt(`0x${okm.toString("hex")}`) % (P256_ORDER - 1n)) + 1n;
  const d = Buffer.from(scalar.toString(16).padStart(64, "0"), "hex");
  const ecdh = createECDH("prime256v1");
  ecdh.setPrivateKey(d);
  const point = ecdh.getPublicKey(); // 0x04 ‖ x ‖ y
  const x = point.subarray(1, 33).toString("base64url");
  const y = point.subarray(33, 65).toString("base64url");
  const privateKey = createPrivateKey({
    key: { kty: "EC", crv: "P-256", x, y, d: d.toString("base64url") },
    format: "jwk",
  });
  const kid = sessionKeyId({ x, y });
  return {
    kid,
    privateKey,
    publicKey: createPublicKey(privateKey),
    jwk: { kty: "EC", crv: "P-256", x, y, kid, alg: SESSION_TOKEN_ALGORITHM, use: "sig" },
  };
}

/** `expiresIn` as jsonwebtoken takes it: seconds, or a span such as "8h". */
export function signSessionToken(
  claims: SessionClaims,
  key: SessionSigningKey,
  expiresIn: string | number,
): string {
  return jwt.sign({ ver: claims.ver }, key.privateKey, {
    algorithm: SESSION_TOKEN_ALGORITHM,
    keyid: key.kid,
    subject: claims.sub,
    issuer: SESSION_TOKEN_ISSUER,
    expiresIn: expiresIn as jwt.SignOptions["expiresIn"],
  });
}
