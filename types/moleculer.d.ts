/**
 * Authorisation is declared on each action and checked in one place, the gateway's
 * `authorize` method (services/api.service.ts).
 */
import "moleculer";
import type { Role } from "../lib/auth";
import type { OperationDocs } from "../services/api/openapi/operation-docs";

declare module "moleculer" {
  interface ActionSchema {
    /** `"none"`: anyone may call it through the gateway. Anything else requires a signed-in user. */
    auth?: "required" | "none";
    /** When set, the signed-in user must hold one of these roles. */
    roles?: readonly Role[];
    /** For a routed action: its response and errors in the API document (services/api/openapi). */
    openapi?: OperationDocs;
    /**
     * How long a call may take, instead of the broker's `requestTimeout`: Moleculer's timeout
     * middleware reads it (its `src/middlewares/timeout.js`); its typings lack it.
     */
    timeout?: number;
  }
}

declare module "moleculer" {
  interface ServiceSchema {
    /** Called once the mixins are merged, before `created` (used by mixins/db.mixin.ts). */
    merged?: (schema: ServiceSchema) => void;
    /** moleculer-db: the collection the service owns. */
    collection?: string;
    /** moleculer-db: the store adapter, made per service instance. */
    adapter?: unknown;
    /** @moleculer/channels: durable consumers, by event name (see lib/channels.ts). */
    channels?: Record<string, unknown>;
  }
}
