/**
 * Lists or removes the JetStream streams of one MindSpaces namespace (NAMESPACE): the durable
 * events (`<namespace>_reservation_created`, …) and the dead letters (`<namespace>_DEAD_LETTER`).
 * It connects as the nodes do, from TRANSPORTER (and NATS_USER / NATS_PASSWORD).
 *
 *   npm run streams -- list <namespace>
 *   npm run streams -- delete <namespace>
 *
 * Deleting throws away events no consumer has handled yet: stop the namespace's nodes first.
 * A stream belongs to the namespace when its name starts with `<namespace>_`.
 */
import { connect } from "nats";
import { ConfigError, parseTransporter } from "../lib/config";

const USAGE = "usage: streams list|delete <namespace>";

export async function namespaceStreams(
  command: "list" | "delete",
  namespace: string,
  env: Record<string, string | undefined> = process.env,
): Promise<{ name: string; messages: number }[]> {
  const transporter = parseTransporter(env);
  if (!transporter) throw new ConfigError("TRANSPORTER", "is required, e.g. nats://nats:4222");
  const nc = await connect({
    servers: transporter.servers.map(server => server.replace("nats://", "")),
    user: transporter.user,
    pass: transporter.pass,
    timeout: 5_000,
  });
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

async function main(): Promise<void> {
  const [command, namespace] = process.argv.slice(2);
  if ((command !== "list" && command !== "delete") || !namespace || !/^[\w-]+$/.test(namespace)) {
    console.error(USAGE);
    process.exit(2);
  }
  const streams = await namespaceStreams(command, namespace);
  for (const { name, messages } of streams) {
    console.log(`${command === "delete" ? "deleted" : "stream"} ${name} (${messages} messages)`);
  }
  console.log(`${streams.length} stream(s) of namespace '${namespace}'`);
}

if (require.main === module) {
  main().catch((err: Error) => {
    console.error(err instanceof ConfigError ? `streams: ${err.message}` : err);
    process.exit(1);
  });
}
