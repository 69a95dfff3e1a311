/**
 * Which NATS connection failures stop a node at start (lib/nats-refusal.ts): a refusal for good
 * does, with words that name what to check and nothing secret; a server not there yet does not.
 */
import { refusalReason } from "../../../lib/nats-refusal";

describe("refusalReason", () => {
  it("names the credentials to check when the server refuses them", () => {
    const reason = refusalReason({
      code: "AUTHORIZATION_VIOLATION",
      message: "'Authorization Violation'",
    });
    expect(reason).toMatch(/NATS refused this node's credentials/);
    expect(reason).toMatch(/NATS_USER and NATS_PASSWORD/);
  });

  it("names the CA to check when the server's certificate does not verify", () => {
    for (const code of [
      "SELF_SIGNED_CERT_IN_CHAIN",
      "ERR_TLS_CERT_ALTNAME_INVALID",
      "CERT_HAS_EXPIRED",
    ]) {
      expect(refusalReason({ code, message: "x" })).toMatch(/NATS_TLS_CA/);
    }
  });

  it("leaves a server that is not there yet, or slow, to the broker's retries", () => {
    for (const code of ["CONNECTION_REFUSED", "TIMEOUT", "ECONNRESET", "ENOTFOUND", undefined]) {
      expect(refusalReason({ code, message: "x" })).toBeNull();
    }
    expect(refusalReason(undefined)).toBeNull();
  });
});
