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

it("never serves a file from outside the build folder", async () => {
  for (const url of [
    "/../package.json",
    "/%2e%2e/package.json",
    "/assets/..%2f..%2fpackage.json",
  ]) {
    const res = await get(url);
    const body = await res.text();
    expect(body).not.toContain('"name": "mindspaces"');
  }
});

it("tells the client whether self-registration is open", async () => {
  const res = await get("/client-settings.json");
  expect(res.headers.get("cache-control")).toBe("no-store");
  expect(await res.json()).toEqual({ selfRegistration: true });
});
