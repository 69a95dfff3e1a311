/** A service that keeps every event of some types it is handed, for a test to look at. */
import type { ServiceSchema } from "moleculer";
import type { EventEnvelope } from "../../lib/events/envelope";

export function eventCollector<E extends EventEnvelope>(
  received: E[],
  types: string[],
): ServiceSchema {
  const handler = async (payload: E) => {
    received.push(payload);
  };
  return {
    name: "collector",
    channels: Object.fromEntries(types.map(type => [type, { group: "collector", handler }])),
  } as ServiceSchema;
}
