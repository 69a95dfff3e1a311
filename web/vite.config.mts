import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";

const here = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root: here,
  // Absolute asset URLs: index.html is also served for deep links such as /spaces/42.
  base: "/",
  plugins: [svelte()],
  build: {
    outDir: fileURLToPath(new URL("../dist/web", import.meta.url)),
    emptyOutDir: true,
    // The polyfill is an inline script, which the client's CSP (script-src 'self') refuses.
    modulePreload: { polyfill: false },
    // The gateway serves a file with an unknown name as index.html, so nothing may be inlined
    // as a data: script; images as data: URLs are allowed (img-src 'self' data:).
    assetsInlineLimit: 0,
    target: "es2022",
  },
  server: {
    // `npx vite --config web/vite.config.ts` for hot reload; API calls go to a running gateway.
    proxy: { "/api": "http://127.0.0.1:3000", "/client-settings.json": "http://127.0.0.1:3000" },
  },
});
