/** Signed-in test accounts of each role, made through the public API as a real client would. */
import type { HttpRequest } from "./http-client";
import { TEST_ADMIN, uniqueName } from "./test-env";

export interface Session {
  token: string;
  user: { id: string; role: string };
}

export const ACCOUNT_PASSWORD = "Canal-house-2026";

export async function signInAdmin(request: HttpRequest): Promise<Session> {
  const res = await request<Session>("POST", "/api/auth/login", { json: TEST_ADMIN });
  if (res.status !== 200) throw new Error(`admin login failed: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Registers a member and, for other roles, has the admin promote them; then signs in. */
export async function signInAs(
  request: HttpRequest,
  role: "admin" | "manager" | "member",
  admin: Session,
): Promise<Session> {
  const email = `${uniqueName(role)}@example.org`;
  const registered = await request<Session>("POST", "/api/auth/register", {
    json: { email, password: ACCOUNT_PASSWORD, name: `A ${role}` },
  });
  if (registered.status !== 201) throw new Error(`register failed: ${registered.status}`);
  if (role !== "member") {
    await request("PATCH", `/api/users/${registered.body.user.id}`, {
      token: admin.token,
      json: { role },
    });
  }
  return (
    await request<Session>("POST", "/api/auth/login", {
      json: { email, password: ACCOUNT_PASSWORD },
    })
  ).body;
}
