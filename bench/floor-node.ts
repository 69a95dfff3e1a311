/**
 * The floor: what the framework costs with nothing of ours in it. `FLOOR_ROLE=gateway` is a plain
 * moleculer-web gateway with one alias, `GET /api/noop` → `noop.noop`; `FLOOR_ROLE=noop` is a node
 * with a no-op action. Both on the broker options of moleculer.config.ts (NATS, JSON, bulkhead,
 * circuit breaker, the channels middleware), so the only difference from a MindSpaces node is
 * MindSpaces' own code.
 */
import { ServiceBroker, type ServiceSchema } from "moleculer";
import ApiGateway from "moleculer-web";
import brokerConfig from "../moleculer.config";

async function main() {
  const broker = new ServiceBroker(brokerConfig);
  if (process.env.FLOOR_ROLE === "gateway") {
    broker.createService({
      name: "api",
      mixins: [ApiGateway as unknown as ServiceSchema],
      settings: {
        port: Number(process.env.PORT),
        ip: "127.0.0.1",
        routes: [
          {
            path: "/api",
            mappingPolicy: "restrict",
            autoAliases: false,
            aliases: { "GET noop": "noop.noop" },
          },
        ],
      },
    } as ServiceSchema);
  } else {
    broker.createService({
      name: "noop",
      actions: { noop: { visibility: "published", handler: () => ({ ok: true }) } },
    } as ServiceSchema);
  }
  await broker.start();
  if (process.env.FLOOR_ROLE === "gateway") await broker.waitForServices(["noop"], 30_000);
  process.send?.({ ready: true });
  const stop = () => void broker.stop().finally(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch(err => {
  console.error(err);
  process.exit(1);
});
