/**
 * One `Idempotency-Key` per logical submit. Keep the key while the user retries the same thing
 * (a network error, a 503): the server then answers the first result instead of booking twice.
 * Renew it once the submit succeeded, so the next one is a new request.
 */
export interface SubmitKey {
  /** The key to send with this attempt. */
  readonly value: string;
  /** Call after success: the next submit is a different request. */
  renew(): void;
}

export function submitKey(): SubmitKey {
  let value = crypto.randomUUID();
  return {
    get value() {
      return value;
    },
    renew() {
      value = crypto.randomUUID();
    },
  };
}
