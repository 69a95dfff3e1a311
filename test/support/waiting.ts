/** Events are asynchronous: a test waits for what it expects, and fails naming it. */
export async function waitFor(done: () => boolean, what: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 25));
  }
}

/** `waitFor` for a check that has to ask something (a store, an endpoint) each time. */
export async function waitUntil(
  done: () => Promise<boolean>,
  what: string,
  timeoutMs = 15_000,
  everyMs = 100,
) {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, everyMs));
  }
}
