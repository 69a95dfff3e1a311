/**
 * Browser tests drive Debian's Chromium through playwright-core (pinned to the release whose
 * Chromium major matches Debian's, so nothing is downloaded). Every page is guarded: a content
 * security policy violation, a request to any host but the gateway, or an uncaught error fails
 * the test that caused it.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { ACCOUNT_PASSWORD } from "./accounts";
import type { HttpRequest } from "./http-client";
import { uniqueName } from "./test-env";
import { startWebSystem, type WebSystem } from "./web-system";

export const SCREENSHOT_DIR = path.resolve(__dirname, "..", "..", "test-artifacts", "screenshots");
export const DESKTOP = { width: 1280, height: 800 };
export const NARROW = { width: 360, height: 740 };

/** `CHROMIUM_PATH`, else the `chromium` on PATH (Debian's package puts it at /usr/bin). */
export function chromiumPath(): string {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) return configured;
  try {
    return execFileSync("sh", ["-c", "command -v chromium"], { encoding: "utf8" }).trim();
  } catch {
    throw new Error("Chromium not found: apt-get install chromium, or set CHROMIUM_PATH");
  }
}

/** Headless, with everything that would phone home switched off; a fresh profile each launch. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export interface GuardedPage {
  page: Page;
  context: BrowserContext;
  /** CSP violations, foreign requests and uncaught errors seen so far. */
  problems: string[];
  /** Fails with the problems seen, then closes the context. */
  close(): Promise<void>;
}

declare global {
  interface Window {
    __reportCspViolation?: (detail: string) => void;
  }
}

/** A new browser context (own storage) on the gateway, guarded. */
export async function openPage(
  browser: Browser,
  baseUrl: string,
  viewport = DESKTOP,
): Promise<GuardedPage> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport, locale: "nl-NL" });
  const problems: string[] = [];
  const origin = new URL(baseUrl).origin;

  await context.route("**/*", route => {
    const url = route.request().url();
    if (new URL(url).origin === origin) return route.continue();
    problems.push(`request to another host: ${url}`);
    return route.abort();
  });
  await context.exposeBinding("__reportCspViolation", (_source, detail: string) => {
    problems.push(`content security policy violation: ${detail}`);
  });
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", event => {
      window.__reportCspViolation?.(
        `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
          `(${event.sourceFile}:${event.lineNumber})`,
      );
    });
  });

  const page = await context.newPage();
  page.on("pageerror", error => problems.push(`uncaught error: ${error.message}`));
  return {
    page,
    context,
    problems,
    async close() {
      await context.close();
      expect(problems).toEqual([]);
    },
  };
}

export interface BrowserSystem {
  /** The running system (set in `beforeAll`). */
  readonly system: WebSystem;
  /** The launched browser (set in `beforeAll`). */
  readonly browser: Browser;
  /** A guarded page on `baseUrl` (the system's by default), closed and checked after the test. */
  open(options?: { baseUrl?: string; viewport?: typeof DESKTOP }): Promise<GuardedPage>;
}

/**
 * The set-up every browser spec shares: starts the system (with `env`) and the browser before
 * all tests; after each test closes every page it opened through `open()`, failing the test on
 * the problems the page saw (CSP, foreign requests, uncaught errors); stops both at the end.
 */
export function useBrowserSystem(env: Record<string, string> = {}): BrowserSystem {
  let system: WebSystem | undefined;
  let browser: Browser | undefined;
  let opened: GuardedPage[] = [];

  beforeAll(async () => {
    [system, browser] = await Promise.all([startWebSystem(env), launchBrowser()]);
  });
  afterEach(async () => {
    const pages = opened;
    opened = [];
    const failures: unknown[] = [];
    for (const guarded of pages) {
      try {
        await guarded.close();
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length > 0) throw failures[0];
  });
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  const started = () => {
    if (!system || !browser) throw new Error("useBrowserSystem: used before beforeAll ran");
    return { system, browser };
  };
  return {
    get system() {
      return started().system;
    },
    get browser() {
      return started().browser;
    },
    async open(options = {}) {
      const { system, browser } = started();
      const guarded = await openPage(browser, options.baseUrl ?? system.baseUrl, options.viewport);
      opened.push(guarded);
      return guarded;
    },
  };
}

/** Switches the language with the header's button and waits until the page shows it. */
export async function switchLanguage(page: Page, to: "English" | "Nederlands"): Promise<void> {
  await page.getByRole("button", { name: to }).click();
  await page.waitForFunction(
    lang => document.documentElement.lang === lang,
    to === "English" ? "en" : "nl",
  );
}

/** No WCAG 2.1 A/AA violation that axe can find on the page as it is now. */
export async function expectNoAxeViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  const violations = results.violations.map(violation => ({
    rule: violation.id,
    impact: violation.impact,
    help: violation.help,
    nodes: violation.nodes.map(node => node.target.join(" ")),
  }));
  expect({ url: page.url(), violations }).toEqual({ url: page.url(), violations: [] });
}

/**
 * Full-page PNGs at desktop width and at 360 px, named after the page's language:
 * `test-artifacts/screenshots/<name>-<lang>-<width>.png`. The viewport is restored afterwards.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const lang = await page.evaluate(() => document.documentElement.lang);
  const before = page.viewportSize() ?? DESKTOP;
  for (const viewport of [DESKTOP, NARROW]) {
    await page.setViewportSize(viewport);
    await page.screenshot({
      path: path.join(SCREENSHOT_DIR, `${name}-${lang}-${viewport.width}.png`),
      fullPage: true,
    });
    // Nothing makes the page scroll sideways, at either width (wide tables scroll in their box).
    const width = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    expect({ page: name, width: viewport.width, sideways: width.scroll > width.client }).toEqual({
      page: name,
      width: viewport.width,
      sideways: false,
    });
  }
  await page.setViewportSize(before);
}

export interface Account {
  email: string;
  password: string;
  name: string;
}

/** A new member, registered through the API (the browser flow itself is tested separately). */
export async function newMember(request: HttpRequest, name = "Ann de Vries"): Promise<Account> {
  const account = {
    email: `${uniqueName("member")}@example.org`,
    password: ACCOUNT_PASSWORD,
    name,
  };
  const res = await request("POST", "/api/auth/register", { json: account });
  if (res.status !== 201) throw new Error(`register failed: ${JSON.stringify(res.body)}`);
  return account;
}

/** Signs in through the sign-in form, in whatever language the page shows. */
export async function signIn(page: Page, account: Pick<Account, "email" | "password">) {
  if (!new URL(page.url()).pathname.startsWith("/sign-in")) await page.goto("/sign-in");
  await page.locator("#email").fill(account.email);
  await page.locator("#password").fill(account.password);
  await page.locator("form button[type=submit]").click();
  await page.waitForURL(url => !url.pathname.startsWith("/sign-in"));
}

/** The page's h1 once it shows `text`, for waiting on a navigation to finish rendering. */
export async function expectHeading(page: Page, text: string | RegExp): Promise<void> {
  await page.locator("main h1").filter({ hasText: text }).waitFor();
}
