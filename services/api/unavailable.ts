/**
 * Which service a failed request was missing, if that is why it failed. Three ways lead here:
 * moleculer-web's own "Service unavailable" (503, no type) when an alias's service has no
 * instance; the broker's SERVICE_NOT_FOUND when the gateway (a token check) or a service behind
 * it calls a service that has none; SERVICE_NOT_AVAILABLE, likewise. The first two would
 * otherwise reach the client as 500 and 404. SERVICE_NOT_FOUND is also what moleculer-web raises
 * for an alias to an action that is not `published`: that one stays a 404, because the service is
 * there; only a service with no live instance in this node's registry is called missing.
 */
import type { ServiceBroker } from "moleculer";
import { ErrorType } from "../../lib/errors";
import type { ClientError } from "./error-response";

export interface ServiceRegistryView {
  /** Whether any live instance of the service is known to this node. */
  isAvailable(service: string): boolean;
}

interface ErrorShape {
  code?: unknown;
  type?: unknown;
  data?: unknown;
}

function serviceOf(action: unknown): string | null {
  if (typeof action !== "string" || !action) return null;
  // "reservations.create" → "reservations"; a versioned "v2.reservations.create" → "v2.reservations".
  const parts = action.split(".");
  return parts.length > 1 ? parts.slice(0, -1).join(".") : null;
}

export function missingService(
  err: unknown,
  aliasAction: string | undefined,
  registry: ServiceRegistryView,
): string | null {
  if (typeof err !== "object" || err === null) return null;
  const e = err as ErrorShape;
  const data = (typeof e.data === "object" && e.data !== null ? e.data : {}) as {
    action?: unknown;
  };
  let service: string | null = null;
  if (e.code === 503 && (e.type === undefined || e.type === null || e.type === "")) {
    // moleculer-web's ServiceUnavailableError carries nothing; the alias says what it wanted.
    service = serviceOf(aliasAction);
  } else if (e.type === "SERVICE_NOT_FOUND" || e.type === "SERVICE_NOT_AVAILABLE") {
    service = serviceOf(data.action) ?? serviceOf(aliasAction);
  }
  if (service === null || registry.isAvailable(service)) return null;
  return service;
}

/** The names of the services with a live instance, as this node's registry knows them. */
export function availableServices(broker: ServiceBroker): Set<string> {
  return new Set(
    broker.registry
      .getServiceList({ onlyAvailable: true, skipInternal: true })
      .map(svc => svc.fullName ?? svc.name),
  );
}

export function registryView(broker: ServiceBroker): ServiceRegistryView {
  return { isAvailable: service => availableServices(broker).has(service) };
}

/** The answer for a missing service: 503 (the gateway adds Retry-After), naming the service. */
export function unavailable(service: string): ClientError {
  return {
    code: 503,
    type: ErrorType.SERVICE_UNAVAILABLE,
    data: { service },
    internal: false,
  };
}
