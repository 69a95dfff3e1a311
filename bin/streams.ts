/**
 * Lists or removes the JetStream streams of one MindSpaces namespace (NAMESPACE): the durable
 * events (`<namespace>_reservation_created`, …) and the dead letters (`<namespace>_DEAD_LETTER`).
 * It connects as the nodes do, from TRANSPORTER and the NATS_* credential and TLS variables.
 *
 *   npm run streams -- list <namespace>
 *   npm run streams -- delete <namespace>
 *
 * Deleting throws away events no consumer has handled yet: stop the namespace's nodes first.
 * A stream belongs to the namespace when its name starts with `<namespace>_`.
 */
import { ConfigError } from "../lib/config";
import { namespaceStreams } from "../lib/namespace-streams";

const USAGE = "usage: streams list|delete <namespace>";

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
