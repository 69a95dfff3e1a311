/**
 * The embedded default under a burst: every durable event reaches its consumer, even when far
 * more arrive than the broker's bulkhead queue holds (200). Found by the benchmark: a burst of
 * bookings left the report and the notifications without some of them.
 */
import type { ServiceBroker } from "moleculer";
import { testBroker } from "../support/local-system";
import { waitFor } from "../support/waiting";

const BURST = 600;

it("delivers every one of a burst of events larger than the bulkhead queue", async () => {
  const broker = testBroker();
  const seen = new Set<number>();
  broker.createService({
    name: "slow-consumer",
    channels: {
      "test.burst": {
        group: "slow-consumer",
        async handler(payload: { n: number }) {
          await new Promise(resolve => setTimeout(resolve, 1));
          seen.add(payload.n);
        },
      },
    },
  } as never);
  await broker.start();
  try {
    const send = (
      broker as ServiceBroker & {
        sendToChannel(name: string, payload: unknown): Promise<void>;
      }
    ).sendToChannel.bind(broker);
    await Promise.all(Array.from({ length: BURST }, (_, n) => send("test.burst", { n })));
    await waitFor(() => seen.size === BURST, `all ${BURST} events`, 30_000);
    expect(seen.size).toBe(BURST);
  } finally {
    await broker.stop();
  }
});
