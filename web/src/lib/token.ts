/**
 * The session token lives in sessionStorage: it goes with the tab, survives a reload, and is
 * never put in a URL. Closing the tab signs out.
 */
const TOKEN_KEY = "mindspaces.token";

export function readToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function storeToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function clearToken(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}
