/**
 * Checks real answers against the API document: the status must be one the operation lists,
 * and the body must match that response's JSON Schema (Ajv, JSON Schema 2020-12, strict, so a
 * misspelt keyword in a hand-written component fails too).
 */
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import type { HttpResponse } from "./http-client";

const BASE = "https://mindspaces.invalid/components/schemas/";

interface MediaType {
  schema: unknown;
}
interface OperationShape {
  responses: Record<string, { content?: Record<string, MediaType> }>;
}
export interface DocumentShape {
  paths: Record<string, Record<string, OperationShape>>;
  components: { schemas: Record<string, unknown> };
}

/** Points the document's local references at the ids the components are registered under. */
function absolute(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(absolute);
  if (typeof schema !== "object" || schema === null) return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [
      key,
      key === "$ref" && typeof value === "string"
        ? value.replace("#/components/schemas/", BASE)
        : absolute(value),
    ]),
  );
}

export function conformanceChecker(document: DocumentShape) {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  for (const [name, schema] of Object.entries(document.components.schemas)) {
    ajv.addSchema({ ...(absolute(schema) as object), $id: `${BASE}${name}` });
  }
  const compiled = new Map<string, ValidateFunction>();
  const exercised = new Set<string>();

  return {
    /** Fails unless `res` is an answer the document promises for `method path`. */
    expectDocumented(method: string, path: string, res: HttpResponse<unknown>): void {
      const operation = document.paths[path]?.[method.toLowerCase()];
      if (!operation) throw new Error(`${method} ${path} is not in the document`);
      exercised.add(`${method.toLowerCase()} ${path}`);
      const response = operation.responses[String(res.status)];
      expect({
        operation: `${method} ${path}`,
        status: res.status,
        listed: Boolean(response),
      }).toEqual({ operation: `${method} ${path}`, status: res.status, listed: true });
      const mediaType = (res.headers.get("content-type") ?? "").split(";")[0];
      const content = response.content?.[mediaType];
      if (!content) throw new Error(`${method} ${path} ${res.status}: ${mediaType} not documented`);
      if (mediaType !== "application/json") return;
      const key = `${method} ${path} ${res.status}`;
      let validate = compiled.get(key);
      if (!validate) {
        validate = ajv.compile(absolute(content.schema) as object);
        compiled.set(key, validate);
      }
      const valid = validate(res.body);
      expect({ operation: key, errors: valid ? null : validate.errors }).toEqual({
        operation: key,
        errors: null,
      });
    },
    /** The operations no check has touched yet. */
    unexercised(): string[] {
      return Object.entries(document.paths)
        .flatMap(([path, item]) => Object.keys(item).map(method => `${method} ${path}`))
        .filter(operation => !exercised.has(operation));
    },
  };
}
