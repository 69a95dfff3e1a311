/**
 * Consumer lag as metrics (lib/channel-lag.ts): a consumer group that holds events and has more
 * waiting shows both in /metrics, and the dead letter's count too; once it catches up, 0.
 */
import { ServiceBroker } from "moleculer";
import { connect } from "nats";
import { channelsMiddlewares, CHANNEL_MAX_IN_FLIGHT } from "../../lib/channels";
import { channelLagMetrics } from "../../lib/channel-lag";
import brokerConfig from "../../moleculer.config";
import { freePort } from "../support/ferretdb";
import { deleteStreams, natsUrl, uniqueName } from "../support/test-env";
import { waitUntil } from "../support/waiting";

async function metric(port: number, name: string, labels: string): Promise<number | null> {
  const text = await (
    await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(5_000) })
  ).text();
  const line = text.split("\n").find(l => l.startsWith(`${name}{`) && l.includes(labels));
  return line ? Number(line.split(" ").at(-1)) : null;
}

describe("channel lag metrics", () => {
  it("show a consumer group's pending and unacknowledged events, and the dead letters", async () => {
    const namespace = uniqueName("ms-lag");
    const port = await freePort();
    const transporter = { servers: [natsUrl()] };
    const broker = new ServiceBroker({
      ...brokerConfig,
      namespace,
      nodeID: "lag-1",
      logger: false,
      transporter: { type: "NATS", options: { servers: [natsUrl()] } },
      metrics: {
        enabled: true,
        reporter: { type: "Prometheus", options: { host: "127.0.0.1", port, path: "/metrics" } },
      },
      middlewares: [
        ...channelsMiddlewares(transporter),
        ...channelLagMetrics(transporter, { pollMs: 300 }),
      ],
    });
    let release: () => void = () => undefined;
    const held = new Promise<void>(resolve => (release = resolve));
    let handled = 0;
    broker.createService({
      name: "slow",
      channels: {
        "lag.test": {
          async handler() {
            await held;
            handled++;
          },
        },
      },
    });
    await broker.start();
    const nc = await connect({ servers: natsUrl().replace("nats://", "") });
    try {
      const labels = `channel="${namespace}.lag.test",group="slow"`;
      const channels = broker as unknown as {
        sendToChannel(name: string, payload: unknown): Promise<void>;
      };
      for (let i = 0; i < CHANNEL_MAX_IN_FLIGHT + 5; i++)
        await channels.sendToChannel("lag.test", { i });
      await waitUntil(
        async () =>
          (await metric(port, "mindspaces_channels_ack_pending", labels)) ===
            CHANNEL_MAX_IN_FLIGHT &&
          (await metric(port, "mindspaces_channels_pending", labels)) === 5,
        "10 unacknowledged and 5 pending",
      );

      await nc.jetstream().publish(`${namespace}.DEAD_LETTER`, new TextEncoder().encode("{}"));
      await waitUntil(
        async () =>
          (await metric(
            port,
            "mindspaces_channels_dead_letters",
            `stream="${namespace}_DEAD_LETTER"`,
          )) === 1,
        "one dead letter",
      );

      release();
      await waitUntil(async () => handled === CHANNEL_MAX_IN_FLIGHT + 5, "every event handled");
      await waitUntil(
        async () =>
          (await metric(port, "mindspaces_channels_ack_pending", labels)) === 0 &&
          (await metric(port, "mindspaces_channels_pending", labels)) === 0,
        "no lag",
      );
    } finally {
      release();
      await nc.close();
      await broker.stop();
      await deleteStreams(namespace);
    }
  });
});

describe("moleculer.config.ts", () => {
  it("adds the lag metrics to a node with a transporter, and nothing without one", () => {
    const middlewareNames = (env: Record<string, string>) => {
      let names: string[] = [];
      Object.assign(process.env, env);
      try {
        jest.isolateModules(() => {
          // eslint-disable-next-line @typescript-eslint/no-require-imports
          const config = require("../../moleculer.config").default as {
            middlewares: { name?: string }[];
          };
          names = config.middlewares.map(m => m.name ?? "");
        });
      } finally {
        for (const key of Object.keys(env)) delete process.env[key];
      }
      return names;
    };
    expect(middlewareNames({ TRANSPORTER: natsUrl(), METRICS_PORT: "3999" })).toContain(
      "ChannelLagMetrics",
    );
    expect(middlewareNames({})).not.toContain("ChannelLagMetrics");
  });
});
