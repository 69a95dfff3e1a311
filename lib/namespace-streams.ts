/**
 * The JetStream streams of one MindSpaces namespace: the durable events
 * (`<namespace>_reservation_created`, …) and the dead letters (`<namespace>_DEAD_LETTER`); a
 * stream belongs to the namespace when its name starts with `<namespace>_`. Listed or deleted
 * by the operators' `npm run streams` (bin/streams.ts), and by the tests and the benchmark to
 * clean up after a run. It connects as the nodes do, from TRANSPORTER and the NATS_* credential
 * and TLS variables (lib/nats-connection.ts).
 */
import { connect } from "nats";
import { ConfigError, parseTransporter } from "./config";
import { natsConnectionOptions } from "./nats-connection";

export async function namespaceStreams(
  command: "list" | "delete",
  namespace: string,
  env: Record<string, string | undefined> = process.env,
): Promise<{ name: string; messages: number }[]> {
  const transporter = parseTransporter(env);
  if (!transporter) throw new ConfigError("TRANSPORTER", "is required, e.g. nats://nats:4222");
  const nc = await connect(natsConnectionOptions(transporter, { timeout: 5_000 }));
  try {
    const jsm = await nc.jetstreamManager();
    const found: { name: string; messages: number }[] = [];
    for await (const stream of jsm.streams.list()) {
      if (!stream.config.name.startsWith(`${namespace}_`)) continue;
      found.push({ name: stream.config.name, messages: stream.state.messages });
    }
    if (command === "delete") for (const { name } of found) await jsm.streams.delete(name);
    return found;
  } finally {
    await nc.close();
  }
}
