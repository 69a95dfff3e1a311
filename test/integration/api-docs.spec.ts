/**
 * /api/docs through the real gateway: Swagger UI from this origin only, with our own page and
 * initializer, under its own content security policy, while every other path keeps the strict one.
 */
import { httpClient, type HttpRequest } from "../support/http-client";
import { startSingleNode } from "../support/local-system";
import { testConfig } from "../support/test-env";

const STRICT_POLICY = "default-src 'none'";
const DOCS_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
  "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; " +
  "form-action 'self'";

let system: Awaited<ReturnType<typeof startSingleNode>>;
let request: HttpRequest;

beforeAll(async () => {
  system = await startSingleNode(testConfig());
  request = httpClient(system.baseUrl);
});

afterAll(() => system.stop());

describe("GET /api/docs", () => {
  const sameOriginReferences = (html: string) =>
    [...html.matchAll(/\s(?:src|href)="([^"]*)"/g)].map(match => match[1]);

  it("serves our own page, which loads only same-origin files and no inline script", async () => {
    const res = await request<string>("GET", "/api/docs/");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.headers.get("content-security-policy")).toBe(DOCS_POLICY);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const html = res.body;
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    const references = sameOriginReferences(html);
    expect(references).toEqual(
      expect.arrayContaining([
        "/api/docs/swagger-ui-bundle.js",
        "/api/docs/swagger-initializer.js",
      ]),
    );
    for (const reference of references) {
      expect(reference).toMatch(/^\/[^/]/);
      const file = await fetch(`${system.baseUrl}${reference}`);
      await file.arrayBuffer();
      expect({ reference, status: file.status }).toEqual({ reference, status: 200 });
      expect(file.headers.get("content-security-policy")).toBe(DOCS_POLICY);
    }
  });

  it("initialises Swagger UI with our document and without the external validator", async () => {
    const res = await request<string>("GET", "/api/docs/swagger-initializer.js");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(res.body).toContain('url: "/api/openapi.json"');
    expect(res.body).toContain("validatorUrl: null");
    expect(res.body).not.toMatch(/https?:\/\//);
  });

  it("answers /api/docs without the slash too", async () => {
    const res = await request<string>("GET", "/api/docs");
    expect(res.status).toBe(200);
    expect(res.body).toContain("/api/docs/swagger-initializer.js");
  });

  it("serves nothing else from swagger-ui-dist", async () => {
    for (const file of ["package.json", "swagger-ui-bundle.js.map", "oauth2-redirect.html"]) {
      const res = await request("GET", `/api/docs/${file}`);
      expect({ file, status: res.status }).toEqual({ file, status: 404 });
    }
  });

  it("keeps the strict policy everywhere else", async () => {
    for (const path of ["/api/health", "/api/openapi.json", "/api/docsx", "/api/nothing-here"]) {
      const res = await request("GET", path);
      expect({ path, csp: res.headers.get("content-security-policy") }).toEqual({
        path,
        csp: expect.stringContaining(STRICT_POLICY),
      });
    }
  });
});
