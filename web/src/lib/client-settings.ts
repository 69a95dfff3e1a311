/**
 * What this deployment allows before anyone signs in, served by the gateway at
 * /client-settings.json (services/api/web-client.ts).
 */
export interface ClientSettings {
  /** null when unknown: the register page is then offered and the server decides. */
  selfRegistration: boolean | null;
  /** Whether e-mails are really sent; a booking promises one only when true. */
  emailDelivery: boolean | null;
}

const UNKNOWN: ClientSettings = { selfRegistration: null, emailDelivery: null };

let pending: Promise<ClientSettings> | null = null;

export function loadClientSettings(): Promise<ClientSettings> {
  pending ??= fetch("/client-settings.json", { headers: { Accept: "application/json" } })
    .then(response => (response.ok ? (response.json() as Promise<ClientSettings>) : null))
    .then(settings => ({ ...UNKNOWN, ...settings }))
    .catch(() => UNKNOWN);
  return pending;
}
