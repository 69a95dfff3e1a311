/**
 * Session tokens: HS256 JWTs with an expiry. The algorithm is pinned on verification, so a token
 * claiming `alg: none` or another algorithm is refused whatever its signature says.
 */
import jwt from "jsonwebtoken";
import { ErrorType, fail } from "../../lib/errors";

const ALGORITHM = "HS256";
const ISSUER = "mindspaces";

export interface SessionClaims {
  /** The user id. */
  sub: string;
  /** The user's token version; bumping it (deactivation, role change) revokes older tokens. */
  ver: number;
}

export function signSessionToken(claims: SessionClaims, secret: string, expiresIn: string): string {
  return jwt.sign({ ver: claims.ver }, secret, {
    algorithm: ALGORITHM,
    subject: claims.sub,
    issuer: ISSUER,
    expiresIn: expiresIn as jwt.SignOptions["expiresIn"],
  });
}

export function verifySessionToken(token: string, secret: string): SessionClaims {
  let payload: string | jwt.JwtPayload;
  try {
    payload = jwt.verify(token, secret, { algorithms: [ALGORITHM], issuer: ISSUER });
  } catch (err) {
    return fail(
      err instanceof jwt.TokenExpiredError ? ErrorType.TOKEN_EXPIRED : ErrorType.TOKEN_INVALID,
    );
  }
  if (
    typeof payload !== "object" ||
    typeof payload.sub !== "string" ||
    typeof payload.ver !== "number"
  ) {
    fail(ErrorType.TOKEN_INVALID);
  }
  return { sub: payload.sub, ver: payload.ver };
}
