/**
 * A system as a client sees it over HTTP, for a describe block: started before its tests and
 * stopped after them, with the admin signed in and members registered on demand.
 */
import { httpClient, type HttpRequest } from "./http-client";
import { TEST_ADMIN, uniqueName } from "./test-env";

export interface HttpSession {
  token: string;
  user: { id: string; email: string; role: string; locale: string };
}

export interface OverHttp<S> {
  system: S;
  request: HttpRequest;
  admin: HttpSession;
  /** Registers a new member (a unique address) and answers their session. */
  registerMember(locale?: string): Promise<HttpSession>;
}

export function overHttp<S extends { baseUrl: string; stop(): Promise<unknown> }>(
  start: () => Promise<S>,
  options: { password: string; prefix: string },
): OverHttp<S> {
  const prefix = uniqueName(options.prefix);
  let counter = 0;
  const on = {
    async registerMember(locale = "nl") {
      const email = `${prefix}-${++counter}@example.org`;
      const res = await on.request<HttpSession>("POST", "/api/auth/register", {
        json: { email, password: options.password, name: `Member ${counter}`, locale },
      });
      expect(res.status).toBe(201);
      return res.body;
    },
  } as OverHttp<S>;

  beforeAll(async () => {
    on.system = await start();
    on.request = httpClient(on.system.baseUrl);
    const login = await on.request<HttpSession>("POST", "/api/auth/login", { json: TEST_ADMIN });
    expect(login.status).toBe(200);
    on.admin = login.body;
  });
  afterAll(() => on.system?.stop());
  return on;
}
