/**
 * Starts one MindSpaces node: the services named in SERVICES (all of them when unset), on the
 * broker configured by moleculer.config.ts. `--repl` opens the Moleculer REPL on the node.
 *
 * We use this instead of moleculer-runner because the runner overwrites broker options with
 * same-named environment variables: TRANSPORTER would replace the credential-redacting NATS
 * options from moleculer.config.ts with the raw URL, password included.
 */
import path from "node:path";
import { ServiceBroker, type ServiceSchema } from "moleculer";
import brokerConfig from "../moleculer.config";
import { ConfigError, loadConfig } from "../lib/config";
import { natsRefusal } from "../lib/nats-refusal";

/** NATS refused this node for good (credentials, certificate): the operator's to fix. */
class NatsRefused extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "NatsRefused";
  }
}

export const ALL_SERVICES = [
  "api",
  "users",
  "spaces",
  "reservations",
  "notifications",
  "reports",
] as const;

function selectServices(requested: string[] | null): string[] {
  if (requested === null) return [...ALL_SERVICES];
  const unknown = requested.filter(name => !(ALL_SERVICES as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new ConfigError(
      "SERVICES",
      `unknown service(s) ${unknown.join(", ")}; known: ${ALL_SERVICES.join(", ")}`,
    );
  }
  return requested;
}

function loadSchema(name: string): ServiceSchema {
  const file = path.join(__dirname, "..", "services", `${name}.service`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = require(file) as { default?: ServiceSchema };
  if (!loaded.default) throw new Error(`${file} has no default export`);
  return loaded.default;
}

/** Where to reach the gateway, and on which address it listens (HOST). */
function gatewayAddress(host: string, port: number): string {
  const everywhere = host === "0.0.0.0" || host === "::";
  const urlHost = everywhere ? "localhost" : host.includes(":") ? `[${host}]` : host;
  return `http://${urlHost}:${port}/api, listening on ${everywhere ? "all interfaces" : host}`;
}

function assertNodeVersion(): void {
  const major = Number(process.versions.node.split(".")[0]);
  if (major < 22) {
    console.error(
      `MindSpaces needs Node.js 22 or newer; this is ${process.version}. Start it with \`npm start\`, which uses the Node.js the project installs.`,
    );
    process.exit(1);
  }
}

async function main(): Promise<void> {
  assertNodeVersion();
  const config = loadConfig();
  const names = selectServices(config.services);
  if (config.transporter) {
    const refused = await natsRefusal(config.transporter);
    if (refused) throw new NatsRefused(refused);
  }
  const broker = new ServiceBroker(brokerConfig);
  for (const name of names) broker.createService(loadSchema(name));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    broker.logger.info(`${signal} received, stopping after the requests in flight...`);
    try {
      await broker.stop();
      process.exit(0);
    } catch (err) {
      broker.logger.error("Graceful stop failed", err);
      process.exit(1);
    }
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));

  await broker.start();
  broker.logger.info(
    `MindSpaces node '${broker.nodeID}' runs: ${names.join(", ")}` +
      (names.includes("api") ? ` (${gatewayAddress(config.host, config.port)})` : ""),
  );
  if (process.argv.includes("--repl")) await broker.repl();
}

main().catch((err: Error) => {
  // A refused configuration is the operator's to fix: say what, without a stack trace.
  const known =
    err instanceof ConfigError || err instanceof NatsRefused || err.name === "EmbeddedStoreRefused";
  console.error(known ? `MindSpaces cannot start. ${err.message}` : err);
  process.exit(1);
});
