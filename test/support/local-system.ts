/** Brokers for tests: one process, no transporter (unit), or several brokers over NATS (multi-node). */
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { ServiceBroker, type BrokerOptions } from "moleculer";
import type { AppConfig } from "../../lib/config";
import { createApiService } from "../../services/api.service";
import { createUsersService } from "../../services/users.service";
import { createSpacesService } from "../../services/spaces.service";
import { createReservationsService } from "../../services/reservations.service";
import { createReportsService } from "../../services/reports.service";
import {
  createNotificationsService,
  type NotificationsOptions,
} from "../../services/notifications.service";
import { channelsMiddlewares } from "../../lib/channels";
import brokerConfig from "../../moleculer.config";
import { natsUrl } from "./test-env";

/** A broker like production's; with `transporter` set, its durable events go to JetStream too. */
export function testBroker(options: Partial<BrokerOptions> = {}): ServiceBroker {
  return new ServiceBroker({
    ...brokerConfig,
    logger: false,
    transporter: null,
    metrics: { enabled: false },
    middlewares: channelsMiddlewares(options.transporter ? { servers: [natsUrl()] } : null),
    ...options,
  });
}

/** A broker on the real NATS server, in the run's own namespace. */
export function natsBroker(namespace: string, nodeID: string, url = natsUrl()): ServiceBroker {
  return testBroker({
    namespace,
    nodeID,
    transporter: { type: "NATS", options: { servers: [url] } },
  });
}

export function gatewayUrl(broker: ServiceBroker): string {
  const api = broker.getLocalService("api") as unknown as { server: Server };
  const { port } = api.server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

/** Every service on one broker, the embedded default; `broker` overrides its options (a logger). */
export async function startSingleNode(
  config: AppConfig,
  notifications: NotificationsOptions = {},
  broker: Partial<BrokerOptions> = {},
) {
  const node = testBroker(broker);
  node.createService(createNotificationsService(config, notifications));
  node.createService(createUsersService(config));
  node.createService(createSpacesService(config));
  node.createService(createReservationsService(config));
  node.createService(createReportsService(config));
  node.createService(createApiService(config));
  await node.start();
  return { broker: node, baseUrl: gatewayUrl(node), stop: () => node.stop() };
}
