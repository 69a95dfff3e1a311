/**
 * Work that Moleculer and moleculer-web put off after a change of services, and that
 * `broker.stop()` leaves pending. Moleculer sends the node's service list to the other nodes 1 s
 * after a local service registers (with a transporter); the gateway regenerates its auto aliases
 * 0.5 s after any `$services.changed`, which stopping causes itself (the in-process durable-events
 * adapter removes a service of its own per channel). Neither is cancelled on stop, so each left a
 * timer that held a stopped broker's process up to a second: long enough for jest to force-exit
 * the worker that ran it. After the stop the work has no purpose (the node has already told the
 * others it is leaving, and our routes have no auto aliases).
 */
import type { ServiceBroker } from "moleculer";

/** A lodash `debounce`d method, as Moleculer and moleculer-web keep them. */
interface Debounced {
  cancel?: () => void;
}

/** For the broker's `stopped` option, which runs once every service and the transporter stopped. */
export function cancelDebouncedWork(broker: ServiceBroker): void {
  // Debounced only with a transporter; otherwise the plain method, with nothing to cancel.
  (broker as unknown as { localServiceChanged: Debounced }).localServiceChanged.cancel?.();
  // moleculer-web's ApiGateway debounces its own in `created`.
  for (const service of broker.services) {
    const gateway = service as unknown as { regenerateAllAutoAliases?: Debounced };
    gateway.regenerateAllAutoAliases?.cancel?.();
  }
}
