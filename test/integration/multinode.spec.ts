/**
 * The gateway on one broker and every other service on another, over the real NATS server, as
 * they run when split across processes. Each run has its own namespace, so runs never see each
 * other's nodes.
 */
import { ServiceBroker } from "moleculer";
import { jwtSecret } from "../../lib/config";
import { createApiService } from "../../services/api.service";
import { createUsersService } from "../../services/users.service";
import { createSpacesService } from "../../services/spaces.service";
import brokerConfig from "../../moleculer.config";
import { describeHttpContract } from "../support/http-contract";
import { gatewayUrl, natsBroker } from "../support/local-system";
import { createReservationsService } from "../../services/reservations.service";
import { createReportsService } from "../../services/reports.service";
import { createNotificationsService } from "../../services/notifications.service";
import { deleteStreams, natsUrl, testConfig, uniqueName } from "../support/test-env";

async function callWhenDiscovered(
  broker: ServiceBroker,
  action: string,
  nodeID: string,
): Promise<unknown> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await broker.call(action, {}, { nodeID });
    } catch (err) {
      if (attempt >= 50) throw err;
      await new Promise(resolve => setTimeout(resolve, 100));
    }
  }
}

describeHttpContract("gateway and users on separate brokers over NATS", async () => {
  const namespace = uniqueName("ms-multinode");
  const config = testConfig();
  const usersNode = natsBroker(namespace, "users-1");
  const apiNode = natsBroker(namespace, "api-1");
  usersNode.createService(createUsersService(config));
  usersNode.createService(createSpacesService(config));
  usersNode.createService(createReservationsService(config));
  usersNode.createService(createReportsService(config));
  usersNode.createService(createNotificationsService(config));
  apiNode.createService(createApiService(config));
  await Promise.all([usersNode.start(), apiNode.start()]);
  await apiNode.waitForServices(
    ["users", "spaces", "reservations", "reports", "notifications"],
    10_000,
  );
  return {
    baseUrl: gatewayUrl(apiNode),
    secret: jwtSecret(),
    stop: async () => {
      await Promise.all([apiNode.stop(), usersNode.stop()]);
      await deleteStreams(namespace);
    },
  };
});

describe("transporter credentials", () => {
  it("never appear in $node.options, seen from another node", async () => {
    const namespace = uniqueName("ms-secrets");
    const password = "nats-Pa55word-never-shown";
    const withCredentials = natsUrl().replace("nats://", `nats://mindspaces:${password}@`);
    // The broker options as moleculer.config.ts builds them from a TRANSPORTER with credentials.
    process.env.TRANSPORTER = withCredentials;
    jest.resetModules();
    const config = (await import("../../moleculer.config")).default;
    delete process.env.TRANSPORTER;
    expect(JSON.stringify(config)).not.toContain(password);

    const node = new ServiceBroker({ ...config, namespace, nodeID: "secretive", logger: false });
    const observer = natsBroker(namespace, "observer");
    await Promise.all([node.start(), observer.start()]);
    try {
      const options = await callWhenDiscovered(observer, "$node.options", "secretive");
      const seen = JSON.stringify(options);
      expect(seen).toContain("nats://");
      expect(seen).not.toContain(password);
      expect(brokerConfig.transporter).toBeNull();
    } finally {
      await Promise.all([node.stop(), observer.stop()]);
    }
  });
});
