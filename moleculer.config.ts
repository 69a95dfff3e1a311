/**
 * Broker options, all from the environment (lib/config.ts). The same file serves the embedded
 * default (no transporter) and a distributed deployment (NATS).
 */
import os from "node:os";
import type { BrokerOptions, Errors } from "moleculer";
import { loadConfig } from "./lib/config";
import { NODE_LOST_TYPES } from "./lib/errors";
import { natsConnectionOptions } from "./lib/nats-connection";
import { channelsMiddlewares, DEAD_LETTER_SUBJECT } from "./lib/channels";
import { channelLagMetrics } from "./lib/channel-lag";
import { cancelDebouncedWork } from "./lib/debounced-work";

const config = loadConfig();

/** A node died holding the call (REQUEST_REJECTED), or no node could take it just then. */
const RETRIED_TYPES = new Set(NODE_LOST_TYPES);

const brokerConfig: BrokerOptions = {
  namespace: config.namespace,
  nodeID: config.nodeID ?? `${os.hostname().toLowerCase()}-${process.pid}`,

  transporter: config.transporter
    ? {
        type: "NATS",
        options: natsConnectionOptions(config.transporter, { maxReconnectAttempts: -1 }),
      }
    : null,
  serializer: "JSON",

  logger: {
    type: "Console",
    options: {
      level: config.logLevel,
      // JSON lines for log collectors; the readable form only on a terminal.
      formatter: process.stdout.isTTY ? "short" : "json",
      colors: process.stdout.isTTY,
      moduleColors: false,
      autoPadding: false,
    },
  },

  requestTimeout: 10_000,

  // Off by default: only actions that declare themselves idempotent (reads) switch it on. Only a
  // call that never got to run, or whose node died holding it, is retried: a handler's own
  // failure or a time-out would be retried against a service that is failing or hanging, four
  // times the load on what is already sick (test/e2e/faults-failing-dependency.spec.ts).
  retryPolicy: {
    enabled: false,
    retries: 3,
    delay: 100,
    maxDelay: 1_000,
    factor: 2,
    check: (err: Error) => RETRIED_TYPES.has(String((err as Errors.MoleculerError)?.type)),
  },

  maxCallLevel: 20,
  // A node that died without a word (kill -9, a lost machine) is noticed by its missing
  // heartbeats: within 3 to 7 seconds, before a call held by it reaches the request timeout. Its
  // held calls are then rejected, and the idempotent ones retried on another node. Shorter would
  // mistake a node busy for a moment for a dead one (it rejoins with its next heartbeat).
  heartbeatInterval: 1,
  heartbeatTimeout: 3,

  contextParamsCloning: false,

  // Graceful shutdown: a stopping node finishes the requests it has before it leaves.
  tracking: { enabled: true, shutdownTimeout: 10_000 },
  // Signals are the runner's (bin/mindspaces.ts), which stops the broker once. Moleculer's own
  // handlers called `stop()` a second time at once: every service, the transporter and the
  // JetStream connection stopped twice, and the second drain failed with CONNECTION_DRAINING.
  skipProcessEventRegistration: true,
  // A stopped broker leaves no timer behind: what moleculer and the gateway put off after a
  // change of services is cancelled (lib/debounced-work.ts).
  stopped: cancelDebouncedWork,

  disableBalancer: false,
  registry: { strategy: "RoundRobin", preferLocal: true },

  circuitBreaker: {
    enabled: true,
    threshold: 0.5,
    minRequestCount: 20,
    windowTime: 60,
    halfOpenTime: 10_000,
    // Only our own failures open the breaker; a client's bad request is not a sick service.
    check: (err: Error) => Boolean(err && ((err as Errors.MoleculerError).code ?? 500) >= 500),
  },

  bulkhead: { enabled: true, concurrency: 20, maxQueueSize: 200 },

  validator: true,

  // Durable events (reservation.*, space.*): JetStream with a transporter, in-process without.
  // With metrics on, also each consumer group's backlog in JetStream (lib/channel-lag.ts).
  middlewares: [
    ...channelsMiddlewares(config.transporter),
    ...channelLagMetrics(config.transporter, { deadLetterSubject: DEAD_LETTER_SUBJECT }),
  ],

  // Moleculer's own metrics (requests, latency, errors per action, circuit breakers, durable
  // events per channel) for Prometheus at http://HOST:METRICS_PORT/metrics; docs/ARCHITECTURE.md.
  metrics: config.metricsPort
    ? {
        enabled: true,
        reporter: {
          type: "Prometheus",
          options: { host: config.host, port: config.metricsPort, path: "/metrics" },
        },
      }
    : { enabled: false },

  tracing: { enabled: false },
};

export default brokerConfig;
