/**
 * The one way the client talks to MindSpaces: same-origin `fetch` to `/api/...`, JSON in and
 * out, `Accept-Language` on every request so the gateway's messages come back in the user's
 * language. Errors arrive as `ApiError` carrying the gateway's `{ name, message, code, type,
 * data }`, so pages branch on `type`, never on message text.
 */
import { currentLocale, t } from "../i18n/locale.svelte";
import { readToken } from "./token";

/** The gateway's error body (README, "REST API"). */
export interface ApiErrorBody {
  name: string;
  message: string;
  code: number;
  type: string;
  data: unknown;
}

/** One invalid field as the gateway reports it under `VALIDATION_ERROR`. */
export interface ValidationItem {
  field: string;
  rule: string;
  message: string;
}

/** Types the client itself raises when there is no gateway answer to report. */
export const CLIENT_ERROR = {
  NETWORK: "NETWORK_ERROR",
  UNEXPECTED: "UNEXPECTED_RESPONSE",
} as const;

export class ApiError extends Error {
  readonly status: number;
  readonly type: string;
  readonly data: unknown;

  constructor(body: ApiErrorBody) {
    super(body.message);
    this.name = "ApiError";
    this.status = body.code;
    this.type = body.type;
    this.data = body.data;
  }

  /** The items of a `VALIDATION_ERROR`; empty for any other error. */
  get validationItems(): ValidationItem[] {
    if (this.type !== "VALIDATION_ERROR" || !Array.isArray(this.data)) return [];
    return this.data.filter(
      (item): item is ValidationItem =>
        typeof item === "object" && item !== null && typeof item.field === "string",
    );
  }
}

export type Method = "GET" | "POST" | "PATCH" | "DELETE";

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined>;
  /** Send the session token (default). Sign-in and register send none. */
  auth?: boolean;
  /** From `submitKey()`: the same key on a retry lets the server answer the first result. */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

type UnauthorizedHandler = (error: ApiError) => void;
let onUnauthorized: UnauthorizedHandler = () => {};

/** The session registers what a 401 on a signed-in request means (back to sign-in). */
export function setUnauthorizedHandler(handler: UnauthorizedHandler): void {
  onUnauthorized = handler;
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== "object" || value === null) return false;
  const body = value as Record<string, unknown>;
  return typeof body.type === "string" && typeof body.message === "string";
}

function urlFor(path: string, query: RequestOptions["query"]): string {
  // Relative paths only: a token must never be sent to, nor data fetched from, another host.
  if (!path.startsWith("/api/") || path.startsWith("//")) {
    throw new Error(`API paths start with /api/: ${path}`);
  }
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined) params.set(name, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // Not JSON, e.g. a proxy's HTML error page.
  }
}

export async function apiRequest<T>(
  method: Method,
  path: string,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = {
    Accept: "application/json",
    "Accept-Language": currentLocale(),
  };
  const token = options.auth === false ? null : readToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  if (options.idempotencyKey) headers["Idempotency-Key"] = options.idempotencyKey;

  let response: Response;
  try {
    response = await fetch(urlFor(path, options.query), {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: "same-origin",
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === "AbortError") throw cause;
    throw new ApiError({
      name: "NetworkError",
      message: t("errors.network"),
      code: 0,
      type: CLIENT_ERROR.NETWORK,
      data: null,
    });
  }

  const body = await readBody(response);
  if (response.ok) return body as T;

  const error = isErrorBody(body)
    ? new ApiError(body)
    : new ApiError({
        name: "UnexpectedResponse",
        message: t("errors.unexpected"),
        code: response.status,
        type: CLIENT_ERROR.UNEXPECTED,
        data: null,
      });
  if (response.status === 401 && token) onUnauthorized(error);
  throw error;
}

export const api = {
  get: <T>(path: string, options?: RequestOptions) => apiRequest<T>("GET", path, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    apiRequest<T>("POST", path, { ...options, body }),
  patch: <T>(path: string, body: unknown, options?: RequestOptions) =>
    apiRequest<T>("PATCH", path, { ...options, body }),
  delete: <T>(path: string, options?: RequestOptions) => apiRequest<T>("DELETE", path, options),
};
