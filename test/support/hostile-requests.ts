/**
 * Hostile HTTP requests for the gateway fuzz test (test/integration/fuzz-gateway.spec.ts), as
 * fast-check arbitraries over the operations of the gateway's own OpenAPI document: wrong types,
 * huge and odd strings, operator objects, prototype keys, path tricks, bad JSON, wrong content
 * types, bad tokens and odd methods. Sent over a raw node:http request, which (unlike fetch)
 * sends the path and method exactly as written.
 */
import http from "node:http";
import fc from "fast-check";
import { createHmac } from "node:crypto";

export interface Operation {
  method: string;
  /** The OpenAPI path, e.g. /api/spaces/{id}. */
  path: string;
  pathParams: string[];
  queryParams: string[];
  bodyFields: string[];
  hasBody: boolean;
  /** The 2xx statuses the document lists for the operation. */
  successStatuses: number[];
}

export interface HostileRequest {
  operation: Operation;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** Which token the request carries, for the report. */
  tokenKind: string;
}

export interface Answer {
  status: number;
  contentType: string;
  body: string;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
}
interface OpenApiOperation {
  parameters?: { name: string; in: string }[];
  requestBody?: { content?: Record<string, { schema?: { properties?: object } }> };
  responses?: Record<string, unknown>;
}

/** Every operation of the document: the routes the gateway really has, new ones included. */
export function operationsOf(document: OpenApiDocument): Operation[] {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      pathParams: (op.parameters ?? []).filter(p => p.in === "path").map(p => p.name),
      queryParams: (op.parameters ?? []).filter(p => p.in === "query").map(p => p.name),
      bodyFields: Object.keys(
        op.requestBody?.content?.["application/json"]?.schema?.properties ?? {},
      ),
      hasBody: op.requestBody !== undefined,
      successStatuses: Object.keys(op.responses ?? {})
        .map(Number)
        .filter(status => status >= 200 && status < 300),
    })),
  );
}

/** The tokens a request may carry: the real ones, and every way of getting one wrong. */
export function tokenKinds(tokens: { admin: string; member: string }, secret: string) {
  const now = Math.floor(Date.now() / 1000);
  const [header, payload] = tokens.member.split(".");
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as object;
  const promoted = Buffer.from(JSON.stringify({ ...claims, role: "admin", ver: 99 })).toString(
    "base64url",
  );
  // By hand, not with jsonwebtoken, which refuses to sign some of these payloads.
  const sign = (body: object | string, key = secret) => {
    const head = Buffer.from('{"alg":"HS256","typ":"JWT"}').toString("base64url");
    const json = typeof body === "string" ? body : JSON.stringify(body);
    const unsigned = `${head}.${Buffer.from(json).toString("base64url")}`;
    return `${unsigned}.${createHmac("sha256", key).update(unsigned).digest("base64url")}`;
  };
  return {
    none: null,
    admin: `Bearer ${tokens.admin}`,
    member: `Bearer ${tokens.member}`,
    garbage: "Bearer not.a.token",
    empty: "Bearer ",
    basic: "Basic YWRtaW46YWRtaW4=",
    huge: `Bearer ${"a".repeat(5000)}`,
    tampered: `Bearer ${header}.${promoted}.${tokens.member.split(".")[2]}`,
    algNone: `Bearer ${Buffer.from('{"alg":"none","typ":"JWT"}').toString("base64url")}.${payload}.`,
    wrongSecret: `Bearer ${sign({ ...claims, iat: now }, "another-secret-of-enough-length-0123456789")}`,
    expired: `Bearer ${sign({ ...claims, iat: now - 7200, exp: now - 3600 })}`,
    unknownUser: `Bearer ${sign({ sub: "no-such-user", ver: 1, iss: "mindspaces", exp: now + 3600 })}`,
    oddClaims: `Bearer ${sign({ sub: { $gt: "" }, ver: "1", iss: "mindspaces", exp: now + 3600 })}`,
    protoClaims: `Bearer ${sign('{"__proto__":{"sub":"x"},"ver":1,"iss":"mindspaces"}')}`,
  } satisfies Record<string, string | null>;
}

const hugeString = fc.integer({ min: 20_000, max: 120_000 }).map(n => "x".repeat(n));
const oddString = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      "",
      " ",
      "\u0000",
      "null",
      "undefined",
      "NaN",
      "-1",
      "1e309",
      "9".repeat(40),
      "2026-02-30T25:61:00Z",
      "0000-00-00",
      "9999-12-31T23:59:59.999Z",
      "<script>alert(1)</script>",
      "'; DROP TABLE users; --",
      "{{7*7}}",
      "../../../etc/passwd",
      "%2e%2e%2f",
      "\u202e\u0645\u0631\u062d\u0628\u0627",
      "😀".repeat(100),
      "\ud800",
      "__proto__",
      "constructor",
      "$where",
      "a.b",
      "admin",
      "Europe/Nowhere",
    ),
  },
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 20 }) },
  { weight: 1, arbitrary: hugeString },
);
const operatorObject = fc.constantFrom<unknown>(
  { $gt: "" },
  { $ne: null },
  { $where: "sleep(1000)" },
  { $regex: ".*" },
  { $in: ["admin"] },
  { "a.b": 1 },
);
const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  oddString,
  operatorObject,
  fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, 1e308, -0, [], {}, [null], [[[]]]),
  fc.integer(),
  fc.double(),
  fc.array(oddString, { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), oddString, { maxKeys: 3 }),
);

/** Raw JSON text a serialiser would never produce: prototype keys, bad syntax, deep nesting. */
const rawBodies = fc.constantFrom(
  '{"__proto__":{"role":"admin"}}',
  '{"constructor":{"prototype":{"role":"admin"}}}',
  '{"name":"x","__proto__":{"active":false}}',
  "{",
  "{'a':1}",
  '{"a":1,}',
  "[1,2",
  "null",
  "true",
  "123",
  '"text"',
  "[]",
  '{"a":1}{"b":2}',
  "\u0000",
  "\ufeff{}",
  "NaN",
  '{"a":"\\ud800"}',
  `${'{"a":'.repeat(5000)}1${"}".repeat(5000)}`,
  `[${"[".repeat(40)}${"]".repeat(40)}]`,
);

/** Percent-encodes every byte but the unreserved ones; unlike encodeURIComponent, never throws
 * (a lone surrogate becomes U+FFFD's bytes). */
function percentEncode(value: string): string {
  return [...Buffer.from(value, "utf8")]
    .map(byte =>
      /[A-Za-z0-9\-._~]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`,
    )
    .join("");
}

function encodePathValue(value: string, raw: boolean): string {
  return raw ? value : percentEncode(value);
}

/** Path segments that try to leave or confuse the route. */
const pathTrick = fc.constantFrom(
  "..",
  "../users",
  "..%2F..%2Fusers",
  "%2e%2e",
  "%2e%2e%2fusers",
  "a%2Fb",
  "%252e%252e",
  "%00",
  "%",
  "%zz",
  "%c0%ae%c0%ae",
  "me",
  "names",
  ".",
  "./",
  "//",
  "x?y=1",
  "x#frag",
  "a".repeat(10_000),
  "9".repeat(300),
);

export function hostileRequests(
  operations: Operation[],
  tokens: Record<string, string | null>,
  knownIds: string[],
): fc.Arbitrary<HostileRequest> {
  // The real tokens often, so that many requests get past authentication to the services.
  const tokenKind = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom("admin", "member") },
    { weight: 3, arbitrary: fc.constantFrom(...Object.keys(tokens)) },
  );
  // Values a field may well accept, so a body is often valid but for one hostile field.
  const start = new Date(Date.now() + 3 * 24 * 3600_000);
  start.setUTCMinutes(0, 0, 0);
  const plausible = fc.constantFrom<unknown>(
    ...knownIds,
    start.toISOString(),
    new Date(start.getTime() + 3600_000).toISOString(),
    "Fuzz",
    "fuzz@example.org",
    "Canal-house-2026",
    2,
    true,
    false,
    "member",
    "manager",
    "desk",
    "nl",
    "en",
    "Europe/Amsterdam",
    { site: "Utrecht" },
    [],
  );
  const idValue = fc.oneof(
    fc.constantFrom(...knownIds).map(id => ({ text: id, raw: true })),
    pathTrick.map(text => ({ text, raw: true })),
    oddString.map(text => ({ text, raw: false })),
  );
  const method = (operation: Operation) =>
    fc.oneof(
      { weight: 8, arbitrary: fc.constant(operation.method) },
      { weight: 2, arbitrary: fc.constantFrom("GET", "POST", "PATCH", "PUT", "DELETE", "HEAD") },
      { weight: 1, arbitrary: fc.constantFrom("PROPFIND", "TRACE", "M-SEARCH", "PURGE", "LOCK") },
    );
  const query = (operation: Operation) =>
    fc
      .array(
        fc.tuple(
          fc.oneof(
            {
              weight: 4,
              arbitrary: fc.constantFrom(...operation.queryParams, "limit", "offset", "sort"),
            },
            fc.constantFrom(
              "q[$gt]",
              "__proto__[role]",
              "constructor[prototype][x]",
              "a.b",
              "$where",
            ),
            fc.string({ maxLength: 8 }),
          ),
          fc.oneof(
            oddString.filter(s => s.length < 3000),
            plausible.map(String),
            fc.constantFrom("[object Object]", "1&1"),
          ),
        ),
        { maxLength: 3 },
      )
      .map(pairs =>
        pairs.length === 0
          ? ""
          : `?${pairs.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join("&")}`,
      );
  const jsonBody = (operation: Operation) =>
    fc.oneof(
      // The route's own fields, each with a hostile value, plus perhaps a stray one.
      fc
        .record({
          fields: fc.subarray(operation.bodyFields),
          values: fc.array(oddValue, { minLength: 8, maxLength: 8 }),
          stray: fc.option(fc.tuple(fc.constantFrom("$set", "role", "id", "_id", "x"), oddValue)),
        })
        .map(({ fields, values, stray }) => {
          const body: Record<string, unknown> = {};
          fields.forEach((field, i) => (body[field] = values[i % values.length]));
          if (stray) body[stray[0]] = stray[1];
          return JSON.stringify(body);
        }),
      // Every field of the route with a plausible value, but one hostile.
      fc
        .record({
          values: fc.array(plausible, {
            minLength: operation.bodyFields.length,
            maxLength: operation.bodyFields.length,
          }),
          hostile: fc.nat(),
          value: oddValue,
        })
        .map(({ values, hostile, value }) => {
          const body: Record<string, unknown> = {};
          operation.bodyFields.forEach((field, i) => (body[field] = values[i]));
          if (operation.bodyFields.length > 0) {
            body[operation.bodyFields[hostile % operation.bodyFields.length]] = value;
          }
          return JSON.stringify(body);
        }),
      fc.jsonValue({ maxDepth: 3 }).map(value => JSON.stringify(value)),
      rawBodies,
      hugeString.map(s => JSON.stringify({ name: s })),
    );
  const contentType = fc.constantFrom(
    "application/json",
    "application/json",
    "application/json; charset=utf-8",
    "application/json; charset=utf-16",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/xml",
    "application/json, text/html",
    "",
  );
  const extraHeaders = fc.record(
    {
      "idempotency-key": fc.oneof(
        fc.constantFrom("k", "a".repeat(2000)),
        oddString.filter(s => /^[\x20-\x7e]*$/.test(s) && s.length < 3000),
      ),
      accept: fc.constantFrom("text/csv", "application/xml", "*/*", "text/html", "garbage/;;"),
      "accept-language": fc.constantFrom("de", "nl-NL;q=abc", "*", "x".repeat(500)),
      "x-request-id": fc.constantFrom("../x", "a".repeat(500), "\t", "id-1"),
      "content-encoding": fc.constantFrom("gzip", "br", "identity", "deflate, gzip"),
    },
    { requiredKeys: [] },
  );

  return fc.constantFrom(...operations).chain(operation =>
    fc
      .record({
        method: method(operation),
        ids: fc.array(idValue, {
          minLength: operation.pathParams.length,
          maxLength: operation.pathParams.length,
        }),
        query: query(operation),
        body: fc.option(jsonBody(operation), { freq: operation.hasBody ? 8 : 2 }),
        contentType,
        token: tokenKind,
        headers: extraHeaders,
      })
      .map(r => {
        let path = operation.path;
        operation.pathParams.forEach((name, i) => {
          path = path.replace(`{${name}}`, encodePathValue(r.ids[i].text, r.ids[i].raw));
        });
        const headers: Record<string, string> = { ...r.headers };
        const authorization = tokens[r.token];
        if (authorization) headers.authorization = authorization;
        if (r.body !== null && r.contentType) headers["content-type"] = r.contentType;
        return {
          operation,
          method: r.method,
          path: path + r.query,
          headers,
          body: r.body ?? undefined,
          tokenKind: r.token,
        };
      }),
  );
}

/** Sends the request as written; resolves with the answer, or rejects (hang, reset). */
export function send(port: number, request: HostileRequest, timeoutMs = 15_000): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        method: request.method,
        path: request.path,
        // Node's client frames a DELETE or GET body with neither Content-Length nor chunked
        // encoding, so the server would read the body as a second, malformed request.
        headers:
          request.body === undefined
            ? request.headers
            : { ...request.headers, "content-length": String(Buffer.byteLength(request.body)) },
        agent: false,
        timeout: timeoutMs,
      },
      res => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers["content-type"] ?? ""),
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end(request.body);
  });
}
