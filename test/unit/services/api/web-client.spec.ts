/**
 * The gateway's web-client module on its own, over a real HTTP server and a build folder made
 * here: files, the history fallback, cache headers and policies, and a server without a build.
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import type { ServiceBroker } from "moleculer";
import { createWebClient } from "../../../../services/api/web-client";
import { withSecurityHeaders } from "../../../../services/api/security-headers";

// The module reads `users`' published settings from the registry; here nobody runs `users`.
const broker = {
  registry: { getServiceList: () => [] },
} as unknown as ServiceBroker;

async function serve(root: string) {
  const client = createWebClient(root);
  const server = http.createServer((req, res) =>
    withSecurityHeaders(req, res, () => {
      if (client.serve(req, res, broker)) return;
      res.writeHead(404, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ type: "NOT_FOUND" }));
    }),
  );
  await new Promise<void>(resolve => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, close: () => new Promise(resolve => server.close(resolve)) };
}

function buildFolder(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "mindspaces-web-"));
  fs.mkdirSync(path.join(root, "assets"));
  fs.writeFileSync(path.join(root, "index.html"), "<!doctype html><title>MindSpaces</title>");
  fs.writeFileSync(path.join(root, "assets", "app-1a2b3c.js"), "console.log(1);");
  fs.writeFileSync(path.join(root, "robots.txt"), "User-agent: *\n");
  return root;
}

it("answers a plain explanation, not a crash, when the client was not built", async () => {
  const missing = path.join(os.tmpdir(), "mindspaces-no-such-build");
  const server = await serve(missing);
  try {
    const res = await fetch(`${server.base}/`);
    expect(res.status).toBe(503);
    expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(await res.text()).toContain("npm run build");
    const api = await fetch(`${server.base}/api/health`);
    expect(await api.json()).toEqual({ type: "NOT_FOUND" }); // still the API's to answer
  } finally {
    await server.close();
  }
});

it("serves files, falls back to index.html, and leaves /api and other methods alone", async () => {
  const server = await serve(buildFolder());
  try {
    const asset = await fetch(`${server.base}/assets/app-1a2b3c.js`);
    expect(asset.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(asset.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(await asset.text()).toBe("console.log(1);");

    const robots = await fetch(`${server.base}/robots.txt`);
    expect(robots.headers.get("cache-control")).toBe("no-cache");

    for (const url of ["/", "/index.html", "/spaces/42", "/assets", "/%E0%A4%A"]) {
      const res = await fetch(`${server.base}${url}`);
      expect({ url, status: res.status, body: await res.text() }).toEqual({
        url,
        status: 200,
        body: "<!doctype html><title>MindSpaces</title>",
      });
      expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
    }

    const head = await fetch(`${server.base}/find`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe("40");

    expect((await fetch(`${server.base}/api/anything`)).status).toBe(404);
    expect((await fetch(`${server.base}/find`, { method: "POST" })).status).toBe(404);
    const settings = await fetch(`${server.base}/client-settings.json`);
    expect(await settings.json()).toEqual({ selfRegistration: null, emailDelivery: null });
  } finally {
    await server.close();
  }
});

it("tells the client what users and notifications published: self-registration and e-mail", async () => {
  const running = {
    registry: {
      getServiceList: () => [
        { name: "users", settings: { selfRegistration: false } },
        { name: "notifications", settings: { emailDelivery: true } },
      ],
    },
  } as unknown as ServiceBroker;
  const client = createWebClient(buildFolder());
  const server = http.createServer((req, res) => {
    if (!client.serve(req, res, running)) res.writeHead(404).end();
  });
  await new Promise<void>(resolve => server.listen(0, "127.0.0.1", resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const settings = await fetch(`http://127.0.0.1:${port}/client-settings.json`);
    expect(await settings.json()).toEqual({ selfRegistration: false, emailDelivery: true });
  } finally {
    await new Promise(resolve => server.close(resolve));
  }
});
