/**
 * Reads that declare a retry policy are tried again when their service was unreachable, but not
 * when they timed out: the service may still be working on the first call, and under load a
 * retry doubled the work of the busiest action (the benchmark's find, p99 past the timeout).
 */
import { Errors, type Context } from "moleculer";
import { testBroker } from "../support/local-system";

describe("retry policy of reads", () => {
  it("does not call a read again after it timed out", async () => {
    const broker = testBroker({ requestTimeout: 200 });
    let calls = 0;
    broker.createService({
      name: "slow",
      actions: {
        read: {
          retryPolicy: { enabled: true },
          async handler() {
            calls++;
            await new Promise(resolve => setTimeout(resolve, 400));
            return "late";
          },
        },
      },
    });
    await broker.start();
    try {
      await expect(broker.call("slow.read")).rejects.toMatchObject({ name: "RequestTimeoutError" });
      // Long enough for every retry the policy would have made (3, after 0.1, 0.2, 0.4 s).
      await new Promise(resolve => setTimeout(resolve, 1500));
      expect(calls).toBe(1);
    } finally {
      await broker.stop();
    }
  });

  it("still calls a read again when its service was not available", async () => {
    const broker = testBroker();
    let calls = 0;
    broker.createService({
      name: "flaky",
      actions: {
        read: {
          retryPolicy: { enabled: true },
          handler(ctx: Context) {
            calls++;
            if (calls < 3) {
              throw new Errors.ServiceNotAvailableError({
                action: "flaky.read",
                nodeID: ctx.nodeID,
              });
            }
            return "fine";
          },
        },
      },
    });
    await broker.start();
    try {
      await expect(broker.call("flaky.read")).resolves.toBe("fine");
      expect(calls).toBe(3);
    } finally {
      await broker.stop();
    }
  });
});
