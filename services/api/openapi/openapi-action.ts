/**
 * `api.openapi`, routed as GET /api/openapi.json: the API document, generated on each request
 * from the gateway's own routes and the action definitions in the broker's registry. Those are
 * the definitions the gateway authorises against, wherever the services run, so the document
 * says what is enforced now rather than what some build once said.
 */
import { Errors, type ActionSchema, type Service } from "moleculer";
import type { ApiSettingsSchema } from "moleculer-web";
import {
  buildOpenApiDocument,
  listAliases,
  type GatewayRoute,
  type RoutedActions,
} from "./document";

export const openapiAction: ActionSchema = {
  visibility: "published",
  auth: "none",
  params: { $$strict: true },
  openapi: {
    summary: "This API document (OpenAPI 3.1)",
    description:
      "Generated from the gateway's routes and each action's parameters and metadata. " +
      "Browse it at /api/docs.",
    response: { schema: "OpenApiDocument", description: "The document." },
  },
  handler(this: Service<ApiSettingsSchema>) {
    const routes: GatewayRoute[] = this.settings.routes ?? [];
    const actions: RoutedActions = new Map(
      this.broker.registry
        .getActionList({ skipInternal: true })
        .flatMap(item => (item.action ? [[item.name, item.action] as const] : [])),
    );
    // A service that has not joined yet: its routes cannot be described, and a document
    // without them would be wrong, so the client is told to come back (503, Retry-After).
    const missing = listAliases(routes).find(alias => !actions.has(alias.action));
    if (missing) throw new Errors.ServiceNotAvailableError({ action: missing.action });
    return buildOpenApiDocument(routes, actions);
  },
};
