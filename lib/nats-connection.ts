/**
 * The one place NATS connection options are made, from the transporter configuration: the
 * broker's transporter (moleculer.config.ts), the durable events' JetStream adapter
 * (lib/channels), the lag metrics (lib/channel-lag.ts) and the streams script
 * (lib/namespace-streams.ts) all connect with the same credentials and TLS settings, so a server
 * that requires them admits all four or none.
 */
import fs from "node:fs";
import { nkeyAuthenticator, type ConnectionOptions } from "nats";
import type { TransporterConfig } from "./config";

const REDACTED = "[redacted]";

/**
 * Connection options for nats.js (and Moleculer's NATS transporter, which hands its options to
 * nats.js). Their JSON form hides the secrets: `$node.options` and the broker's INFO packets
 * serialise the options with JSON.stringify, and must not carry a password or token. TLS files
 * are passed as paths; nats.js reads them when it connects.
 */
export function natsConnectionOptions(
  transporter: TransporterConfig,
  extra: Partial<ConnectionOptions> = {},
): ConnectionOptions & { toJSON(): Record<string, unknown> } {
  const visible: ConnectionOptions = { servers: transporter.servers, ...extra };
  if (transporter.tls) visible.tls = { ...transporter.tls };
  const secret: ConnectionOptions = {};
  if (transporter.user) Object.assign(secret, { user: transporter.user, pass: transporter.pass });
  if (transporter.token) secret.token = transporter.token;
  if (transporter.nkeySeedFile) {
    // Read at every (re)connect, so a rotated seed file is picked up without a restart.
    const seedFile = transporter.nkeySeedFile;
    secret.authenticator = nkeyAuthenticator(() =>
      new TextEncoder().encode(fs.readFileSync(seedFile, "utf8").trim()),
    );
  }
  return {
    ...visible,
    ...secret,
    toJSON: () => ({
      ...visible,
      ...Object.fromEntries(Object.keys(secret).map(key => [key, REDACTED])),
    }),
  };
}
