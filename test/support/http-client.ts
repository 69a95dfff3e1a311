/** A small fetch wrapper that returns status, headers and parsed JSON, never throwing on 4xx/5xx. */
export interface HttpResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RequestOptions {
  token?: string;
  json?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

export function httpClient(baseUrl: string) {
  return async function request<T = Record<string, unknown>>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<HttpResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.json !== undefined) body = JSON.stringify(options.json);
    if (options.rawBody !== undefined) body = options.rawBody;
    if (body !== undefined) headers["content-type"] ??= "application/json";
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // Non-JSON bodies are returned as text for the assertion to show.
    }
    return { status: response.status, headers: response.headers, body: parsed as T };
  };
}

export type HttpRequest = ReturnType<typeof httpClient>;
