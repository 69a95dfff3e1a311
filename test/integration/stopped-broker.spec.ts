/**
 * A stopped broker leaves no timer behind that would keep its process alive. Moleculer's
 * debounced service list to other nodes (1 s) and the gateway's debounced alias regeneration
 * (0.5 s) used to outlive `broker.stop()`, and jest force-exited the worker whose last suite
 * stopped a broker just before (lib/debounced-work.ts).
 */
import { createHook } from "node:async_hooks";
import { natsBroker, startSingleNode } from "../support/local-system";
import { testConfig, uniqueName } from "../support/test-env";

interface Timer {
  hasRef(): boolean;
}

/** Where a timer was set: the first caller past this file, Node's internals and lodash. */
function setBy(): string {
  const trace: { stack?: string } = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 20;
  Error.captureStackTrace(trace);
  Error.stackTraceLimit = limit;
  const frames = (trace.stack ?? "").split("\n").slice(1);
  const caller = frames.find(
    frame => !frame.includes(__filename) && !/\(node:|node_modules\/lodash\//.test(frame),
  );
  return (caller ?? "unknown").trim();
}

/**
 * The timers `run` started that are still pending, and would hold the process, when it ends;
 * each named by where it was set.
 */
async function timersLeftBy(run: () => Promise<void>): Promise<string[]> {
  const pending = new Map<number, { timer: Timer; setBy: string }>();
  const hook = createHook({
    init(id, type, _trigger, resource) {
      if (type === "Timeout") {
        pending.set(id, { timer: resource as Timer, setBy: setBy() });
      }
    },
    destroy(id) {
      pending.delete(id);
    },
  }).enable();
  try {
    await run();
    // Node runs destroy hooks on the next turn of the event loop, not at clearTimeout.
    await new Promise(resolve => setImmediate(resolve));
  } finally {
    hook.disable();
  }
  return [...pending.values()].filter(({ timer }) => timer.hasRef()).map(left => left.setBy);
}

it("stops the embedded node (every service and the gateway) without a timer left", async () => {
  const left = await timersLeftBy(async () => {
    const node = await startSingleNode(testConfig());
    await node.stop();
  });
  expect(left).toEqual([]);
});

it("stops a node on NATS right after its start without a timer left", async () => {
  const left = await timersLeftBy(async () => {
    const node = natsBroker(uniqueName("ms-stopped"), "stopped-1");
    node.createService({ name: "quiet" });
    await node.start();
    await node.stop();
  });
  expect(left).toEqual([]);
});
