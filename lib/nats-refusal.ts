/**
 * Before a node starts its broker it connects to NATS once with its own settings. A server that
 * refuses them for good (wrong credentials, a certificate that does not verify) stops the node at
 * once, naming the reason: an orchestrator then shows a failing node with its cause, instead of
 * one that runs and retries every 5 seconds without ever joining. A server that cannot be
 * reached yet is left to the broker, which keeps trying: NATS may well start after the node.
 */
import { connect } from "nats";
import type { TransporterConfig } from "./config";
import { natsConnectionOptions } from "./nats-connection";

/** nats.js' codes for a server that refused who the node says it is. */
const CREDENTIALS_REFUSED = new Set([
  "AUTHORIZATION_VIOLATION",
  "AUTHENTICATION_EXPIRED",
  "ACCOUNT_EXPIRED",
]);

/** Node's codes for a server certificate that does not verify against the trusted CA. */
const CERTIFICATE_REFUSED = new Set([
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_SIGNATURE_FAILURE",
  "CERT_REVOKED",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/** Why NATS refused the node for good, in words for its operator; `null` when it may yet work. */
export function refusalReason(err: unknown): string | null {
  const { code, message } = (err ?? {}) as { code?: unknown; message?: unknown };
  // nats.js quotes the server's words: 'Authorization Violation'.
  const said = (typeof message === "string" ? message : String(code)).replace(/^'(.*)'$/, "$1");
  if (typeof code !== "string") return null;
  if (CREDENTIALS_REFUSED.has(code)) {
    return (
      `NATS refused this node's credentials (${said}). ` +
      "Check NATS_USER and NATS_PASSWORD (or NATS_TOKEN, or NATS_NKEY_SEED_FILE) against the server's."
    );
  }
  if (CERTIFICATE_REFUSED.has(code)) {
    return (
      `The NATS server's certificate is not trusted (${said}). ` +
      "NATS_TLS_CA must name the CA that signed it, and the server's name must be in it."
    );
  }
  return null;
}

/** Connects once and closes; answers the reason of a refusal for good, or `null`. */
export async function natsRefusal(
  transporter: TransporterConfig,
  timeoutMs = 5_000,
): Promise<string | null> {
  try {
    const connection = await connect({
      ...natsConnectionOptions(transporter),
      reconnect: false,
      timeout: timeoutMs,
      name: "mindspaces-start-check",
    });
    await connection.close();
    return null;
  } catch (err) {
    return refusalReason(err);
  }
}
