/**
 * `api.health` (liveness) and `api.ready` (readiness), routed as GET /api/health and
 * GET /api/ready, for people and for probes such as Kubernetes'.
 *
 * - health: 200 while this process runs and its broker connection is up, 503 once it lost it.
 *   It does not depend on other services, so a probe on it never restarts a gateway because
 *   another service is down.
 * - ready: 200 only while, besides that, every service the gateway routes to has a live
 *   instance; 503 until then, so a load balancer sends no traffic to a gateway that would answer
 *   SERVICE_UNAVAILABLE.
 *
 * Both answer `{ status, ready }`; only admins see the details (node, uptime, transporter,
 * per-service readiness): they help an attacker map the deployment.
 */
import type { ActionSchema, Context, Service } from "moleculer";
import type { AuthMeta } from "../../lib/auth";
import { availableServices } from "./unavailable";

type HealthMeta = AuthMeta & { $statusCode?: number };

interface NodeState {
  connected: boolean;
  ready: boolean;
  services: Record<string, boolean>;
}

function nodeState(service: Service, routedServices: readonly string[]): NodeState {
  const transit = service.broker.transit;
  const connected = transit ? transit.connected : true;
  const available = availableServices(service.broker);
  const services = Object.fromEntries(routedServices.map(name => [name, available.has(name)]));
  return { connected, ready: connected && Object.values(services).every(Boolean), services };
}

function answer(service: Service, ctx: Context<unknown, HealthMeta>, state: NodeState) {
  const summary = { status: state.connected ? "ok" : "disconnected", ready: state.ready };
  if (ctx.meta.user?.role !== "admin") return summary;
  const transit = service.broker.transit;
  return {
    ...summary,
    node: service.broker.nodeID,
    uptimeSeconds: Math.round(process.uptime()),
    transporter: transit ? (state.connected ? "connected" : "disconnected") : "none",
    services: state.services,
  };
}

/** The two actions, for a gateway whose routes lead to `routedServices`. */
export function healthActions(routedServices: readonly string[]): Record<string, ActionSchema> {
  return {
    health: {
      visibility: "published",
      auth: "none",
      params: { $$strict: true },
      openapi: {
        summary: "Liveness: this node runs and is connected",
        description:
          "200 while the process runs and its broker connection is up (a liveness probe); it " +
          "does not wait for other services: see GET /api/ready. Anonymous callers learn " +
          "`status` and `ready`; admins also the details.",
        response: {
          schema: "Health",
          description: "The node is connected.",
          alsoWith: { 503: "The node lost its broker connection." },
        },
      },
      handler(this: Service, ctx: Context<unknown, HealthMeta>) {
        const state = nodeState(this, routedServices);
        if (!state.connected) ctx.meta.$statusCode = 503;
        return answer(this, ctx, state);
      },
    },

    ready: {
      visibility: "published",
      auth: "none",
      params: { $$strict: true },
      openapi: {
        summary: "Readiness: every service this gateway routes to has an instance",
        description:
          "200 when the node is connected and every service its routes lead to has a live " +
          "instance (a readiness probe); 503 until then. Anonymous callers learn `status` and " +
          "`ready`; admins also which service is missing.",
        response: {
          schema: "Health",
          description: "Ready to serve every route.",
          alsoWith: { 503: "Not ready: disconnected, or a service has no instance yet." },
        },
      },
      handler(this: Service, ctx: Context<unknown, HealthMeta>) {
        const state = nodeState(this, routedServices);
        if (!state.ready) ctx.meta.$statusCode = 503;
        return answer(this, ctx, state);
      },
    },
  };
}
