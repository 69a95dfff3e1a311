/**
 * A failing event handler is retried; an event that fails every attempt is dead-lettered, never
 * dropped silently: on JetStream moved to the DEAD_LETTER subject (and logged by the adapter),
 * in the embedded default logged as an error with its event id.
 */
import { ServiceBroker, type Logger, type ServiceSchema } from "moleculer";
import { DEAD_LETTER_SUBJECT } from "../../lib/channels";
import { CHANNEL_MAX_RETRIES, retryPause } from "../../lib/channels/retry-policy";
import { natsBroker, testBroker } from "../support/local-system";
import { deleteStreams, uniqueName } from "../support/test-env";
import { waitFor } from "../support/waiting";

interface TestEvent {
  eventId: string;
  type: string;
}

/** Long enough for every retry pause (0.5 + 1 + 2 + 4 s) with room to spare. */
const RETRIES_PASS_MS = 30_000;

/** Fails the first `failures` deliveries of each event, then handles it. */
function flakyConsumer(
  failures: number,
  attempts: string[],
  handled: string[],
  times: number[] = [],
): ServiceSchema {
  return {
    name: "flaky",
    channels: {
      "test.flaky": {
        group: "flaky",
        async handler(event: TestEvent) {
          attempts.push(event.eventId);
          times.push(Date.now());
          if (attempts.filter(id => id === event.eventId).length <= failures) {
            throw new Error("the database is briefly away");
          }
          handled.push(event.eventId);
        },
      },
    },
  };
}

/** Keeps what reaches the dead-letter subject. */
function morgue(deadLetters: TestEvent[]): ServiceSchema {
  return {
    name: "morgue",
    channels: {
      [DEAD_LETTER_SUBJECT]: {
        group: "morgue",
        handler: (event: TestEvent) => void deadLetters.push(event),
      },
    },
  };
}

/** Publishes as a service's outbox does (the channels middleware adds this to the broker). */
function sendTo(broker: ServiceBroker, channel: string, event: TestEvent): Promise<void> {
  return (
    broker as unknown as { sendToChannel(name: string, e: TestEvent): Promise<void> }
  ).sendToChannel(channel, event);
}

describe("failing event handlers on JetStream", () => {
  const namespace = uniqueName("ms-deadletter");
  let broker: ServiceBroker;
  const attempts: string[] = [];
  const handled: string[] = [];
  const deadLetters: TestEvent[] = [];
  const times: number[] = [];

  beforeAll(async () => {
    broker = natsBroker(namespace, "consumer");
    broker.createService(flakyConsumer(2, attempts, handled, times));
    broker.createService(morgue(deadLetters));
    await broker.start();
  });

  afterAll(async () => {
    await broker?.stop();
    await deleteStreams(namespace);
  });

  const send = (event: TestEvent) => sendTo(broker, "test.flaky", event);

  it("redelivers after a failure until the handler succeeds, and then only once", async () => {
    await send({ eventId: "recovers", type: "test.flaky" });
    await waitFor(() => handled.includes("recovers"), "the event to be handled", RETRIES_PASS_MS);
    await new Promise(resolve => setTimeout(resolve, 500));
    expect(attempts.filter(id => id === "recovers")).toHaveLength(3);
    // Not handed back at once: a pause that grows, so a brief outage can pass.
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(retryPause(1) - 50);
    expect(times[2] - times[1]).toBeGreaterThanOrEqual(retryPause(2) - 50);
    expect(handled.filter(id => id === "recovers")).toHaveLength(1);
    expect(deadLetters).toEqual([]);
  });

  it("moves an event that fails every attempt to the dead-letter subject", async () => {
    // A poison event: a consumer that fails it more often than it is retried.
    attempts.length = 0;
    const poison = { eventId: "poison", type: "test.flaky" };
    await broker.destroyService(broker.getLocalService("flaky")!);
    broker.createService(flakyConsumer(1_000, attempts, handled));
    await broker.waitForServices("flaky");
    await send(poison);
    await waitFor(() => deadLetters.length === 1, "the dead letter", RETRIES_PASS_MS);
    expect(deadLetters[0]).toEqual(poison);
    expect(attempts).toEqual(Array(CHANNEL_MAX_RETRIES).fill("poison"));
    expect(handled).not.toContain("poison");
  });
});

describe("an event handler that needs a service which is away", () => {
  const namespace = uniqueName("ms-waiting");
  let broker: ServiceBroker;
  const deliveries: number[] = [];
  const handled: string[] = [];
  const deadLetters: TestEvent[] = [];

  afterAll(async () => {
    await broker?.stop();
    await deleteStreams(namespace);
  });

  it("keeps the event, without using up its attempts, until the service is back", async () => {
    broker = natsBroker(namespace, "consumer");
    broker.createService({
      name: "needy",
      channels: {
        "test.needy": {
          group: "needy",
          async handler(event: TestEvent, raw: { info: { redeliveryCount: number } }) {
            deliveries.push(raw.info.redeliveryCount);
            await broker.call("later.ping");
            handled.push(event.eventId);
          },
        },
      },
    });
    broker.createService(morgue(deadLetters));
    await broker.start();
    await sendTo(broker, "test.needy", { eventId: "patient", type: "test.needy" });

    // The service it calls is away: tried again and again, but as one delivery, kept.
    await waitFor(() => deliveries.length >= 3, "three tries", RETRIES_PASS_MS);
    expect(deliveries.every(count => count === 1)).toBe(true);
    expect(handled).toEqual([]);

    broker.createService({ name: "later", actions: { ping: () => "pong" } });
    await waitFor(() => handled.length === 1, "the event to be handled", RETRIES_PASS_MS);
    await new Promise(resolve => setTimeout(resolve, 500));
    expect(handled).toEqual(["patient"]);
    expect(deadLetters).toEqual([]);
  });
});

describe("failing event handlers in the embedded default", () => {
  it("retries in-process, and logs an event that fails every attempt as an error", async () => {
    const errors: unknown[][] = [];
    const getLogger = ServiceBroker.prototype.getLogger;
    const spy = jest.spyOn(ServiceBroker.prototype, "getLogger").mockImplementation(function (
      this: ServiceBroker,
      module: string,
      props?: Record<string, unknown>,
    ) {
      const logger = getLogger.call(this, module, props) as Logger;
      return { ...logger, error: (...args: unknown[]) => void errors.push(args) } as Logger;
    });
    const broker = testBroker();
    spy.mockRestore();
    const attempts: string[] = [];
    const handled: string[] = [];
    broker.createService(flakyConsumer(2, attempts, handled));
    await broker.start();
    const send = (event: TestEvent) => sendTo(broker, "test.flaky", event);
    try {
      await send({ eventId: "recovers", type: "test.flaky" });
      await waitFor(() => handled.includes("recovers"), "the event to be handled", RETRIES_PASS_MS);
      expect(attempts).toEqual(["recovers", "recovers", "recovers"]);

      attempts.length = 0;
      await broker.destroyService(broker.getLocalService("flaky")!);
      broker.createService(flakyConsumer(1_000, attempts, handled));
      await broker.waitForServices("flaky");
      await send({ eventId: "poison", type: "test.flaky" });
      await waitFor(
        () => attempts.length === CHANNEL_MAX_RETRIES,
        "every attempt",
        RETRIES_PASS_MS,
      );
      await waitFor(
        () => errors.some(args => JSON.stringify(args).includes('"eventId":"poison"')),
        "the dead letter in the log",
        RETRIES_PASS_MS,
      );
      expect(handled).not.toContain("poison");
    } finally {
      await broker.stop();
    }
  });
});
