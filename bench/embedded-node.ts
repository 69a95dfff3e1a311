/**
 * The embedded default as `npm start` runs it (every service in one process, NeDB in memory,
 * no transporter), plus a control channel for the benchmark over the parent's IPC:
 *   { type: "seed", id, size, options, previous? } → seeds through this broker's own actions
 *   { type: "profile-start", id } / { type: "profile-stop", id, file } → the V8 CPU profiler
 *     (what `node --cpu-prof` records), scoped to a load window instead of the process's life.
 * The services are loaded exactly as bin/mindspaces.ts loads them (dist/services/*.service.js)
 * on the broker options of moleculer.config.ts.
 */
import fs from "node:fs";
import inspector from "node:inspector";
import path from "node:path";
import { ServiceBroker, type ServiceSchema } from "moleculer";
import brokerConfig from "../moleculer.config";
import { brokerCall, seed } from "./seed";

const SERVICES = ["api", "users", "spaces", "reservations", "notifications", "reports"];

function loadSchema(name: string): ServiceSchema {
  const file = path.join(__dirname, "..", "services", `${name}.service`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = require(file) as { default: ServiceSchema };
  return loaded.default;
}

interface Message {
  type: string;
  id: number;
  [key: string]: unknown;
}

async function main() {
  const broker = new ServiceBroker(brokerConfig);
  for (const name of SERVICES) broker.createService(loadSchema(name));
  await broker.start();
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, params ?? {}, (err, result) => (err ? reject(err) : resolve(result))),
    );

  // Pacing only (see SeedOptions.consumed): how far the consumers got, counted in their stores.
  type Counted = { adapter: { count(filters: object): Promise<number> } };
  const reports = broker.getLocalService("reports") as unknown as Counted;
  const notifications = broker.getLocalService("notifications") as unknown as Counted;
  const consumed = async () =>
    Math.min(
      await reports.adapter.count({ query: {} }),
      await notifications.adapter.count({ query: {} }),
    );

  const reply = (id: number, body: object) => process.send?.({ id, ...body });
  process.on("message", (message: Message) => {
    void (async () => {
      try {
        if (message.type === "seed") {
          const result = await seed(
            brokerCall(broker),
            message.size as never,
            {
              ...(message.options as { adminEmail: string; adminPassword: string }),
              log: (line: string) => console.log(line),
              consumed,
            },
            message.previous as never,
          );
          reply(message.id, result);
        } else if (message.type === "profile-start") {
          await post("Profiler.enable");
          await post("Profiler.setSamplingInterval", { interval: 1000 });
          await post("Profiler.start");
          reply(message.id, {});
        } else if (message.type === "profile-stop") {
          const { profile } = (await post("Profiler.stop")) as { profile: object };
          fs.writeFileSync(String(message.file), JSON.stringify(profile));
          reply(message.id, {});
        }
      } catch (err) {
        reply(message.id, { error: err instanceof Error ? err.stack : String(err) });
      }
    })();
  });
  process.on("SIGTERM", () => void broker.stop().finally(() => process.exit(0)));
  process.on("SIGINT", () => void broker.stop().finally(() => process.exit(0)));
  process.on("disconnect", () => void broker.stop().finally(() => process.exit(0)));
  process.send?.({ ready: true });
}

main().catch(err => {
  console.error(err);
  process.exit(1);
});
