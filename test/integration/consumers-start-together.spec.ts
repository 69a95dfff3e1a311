/**
 * Two instances of one consumer group started at the same moment on JetStream: both create the
 * durable consumer, and the second used to be refused ("consumer name already in use"), failing
 * its start (seen when two `reservations` processes started together). Both must start, and
 * the group must still get each event once.
 */
import type { ServiceBroker } from "moleculer";
import { natsBroker } from "../support/local-system";
import { deleteStreams, uniqueName } from "../support/test-env";
import { waitFor } from "../support/waiting";

const ROUNDS = 4;

it("starts two instances of a consumer group at once, in every round", async () => {
  for (let round = 0; round < ROUNDS; round++) {
    const namespace = uniqueName("ms-together");
    const handled: number[] = [];
    const consumer = (nodeID: string) => {
      const broker = natsBroker(namespace, nodeID);
      broker.createService({
        name: "together",
        channels: {
          "test.together": {
            group: "together",
            async handler(payload: { n: number }) {
              handled.push(payload.n);
            },
          },
        },
      } as never);
      return broker;
    };
    const nodes: ServiceBroker[] = [consumer("a"), consumer("b")];
    try {
      await Promise.all(nodes.map(node => node.start()));
      const send = (
        nodes[0] as ServiceBroker & {
          sendToChannel(name: string, payload: unknown): Promise<void>;
        }
      ).sendToChannel.bind(nodes[0]);
      for (let n = 0; n < 10; n++) await send("test.together", { n });
      await waitFor(() => handled.length >= 10, "the group to handle 10 events", 15_000);
      await new Promise(resolve => setTimeout(resolve, 300));
      expect([...handled].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    } finally {
      await Promise.all(nodes.map(node => node.stop()));
      await deleteStreams(namespace);
    }
  }
});
