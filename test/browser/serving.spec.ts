/**
 * How the gateway serves the client next to the API: cache headers, the two content security
 * policies, the history fallback for deep links, and the API's own 404s untouched.
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { startWebSystem, type WebSystem } from "../support/web-system";

const CLIENT_CSP =
  "default-src 'self';script-src 'self';style-src 'self';img-src 'self' data:;" +
  "connect-src 'self';font-src 'self';frame-ancestors 'none';base-uri 'none';form-action 'self'";

let system: WebSystem;

beforeAll(async () => {
  system = await startWebSystem();
});

afterAll(async () => {
  await system?.stop();
});

const get = (url: string, init?: RequestInit) => fetch(`${system.baseUrl}${url}`, init);

it("serves index.html at / and for any client path, checked again on every load", async () => {
  const index = fs.readFileSync(path.resolve("dist/web/index.html"), "utf8");
  for (const url of ["/", "/find", "/spaces/42", "/admin/users?page=2", "/a/b/c.html"]) {
    const res = await get(url);
    expect({ url, status: res.status }).toEqual({ url, status: 200 });
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("no-cache");
    expect(res.headers.get("content-security-policy")).toBe(CLIENT_CSP);
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(await res.text()).toBe(index);
  }
});

it("serves hashed assets for a year, and a missing asset as a plain 404, never as HTML", async () => {
  const index = await (await get("/")).text();
  const assets = [...index.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map(match => match[1]);
  expect(assets.some(asset => asset.endsWith(".js"))).toBe(true);
  expect(assets.some(asset => asset.endsWith(".css"))).toBe(true);
  for (const asset of assets) {
    const res = await get(asset);
    expect({ asset, status: res.status }).toEqual({ asset, status: 200 });
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(res.headers.get("content-type")).toMatch(/^text\/(javascript|css); charset=utf-8$/);
  }
  const missing = await get("/assets/index-00000000.js");
  expect(missing.status).toBe(404);
  expect(missing.headers.get("content-type")).toBe("text/plain; charset=utf-8");
});

it("keeps the API's JSON 404s and its deny-all policy; other methods are not the client's", async () => {
  for (const url of ["/api/nope", "/api/spaces/x/y/z", "/api"]) {
    const res = await get(url);
    expect({ url, status: res.status }).toEqual({ url, status: 404 });
    expect(await res.json()).toMatchObject({ type: "NOT_FOUND", code: 404 });
    expect(res.headers.get("content-security-policy")).toBe(
      "default-src 'none';frame-ancestors 'none'",
    );
    expect(res.headers.get("cache-control")).toBe("no-store");
  }
  const posted = await get("/find", { method: "POST" });
  expect(posted.status).toBe(404);
  expect(await posted.json()).toMatchObject({ type: "NOT_FOUND" });
});

/** A GET with the path sent exactly as written (fetch would normalise `..` away first). */
function rawGet(rawPath: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(system.baseUrl);
  return new Promise((resolve, reject) => {
    http
      .get({ host: hostname, port, path: rawPath }, res => {
        let body = "";
        res.on("data", chunk => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on("error", reject);
  });
}

it("never serves a file from outside the build folder", async () => {
  const paths = ["/../package.json", "/%2e%2e/package.json", "/assets/..%2f..%2f..%2fpackage.json"];
  for (const rawPath of paths) {
    const res = await rawGet(rawPath);
    expect({ rawPath, leaked: res.body.includes('"name": "mindspaces"') }).toEqual({
      rawPath,
      leaked: false,
    });
  }
  // The build folder's own files are reachable by their plain names.
  expect((await rawGet("/index.html")).status).toBe(200);
});

it("tells the client whether self-registration is open and e-mail is sent", async () => {
  const res = await get("/client-settings.json");
  expect(res.headers.get("cache-control")).toBe("no-store");
  // This system has no mail server (SMTP_URL): a booking then promises no e-mail.
  expect(await res.json()).toEqual({ selfRegistration: true, emailDelivery: false });
});
