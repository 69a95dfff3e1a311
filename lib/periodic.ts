/**
 * Background work a service does on every instance: the outbox relay, the pending sweep, the
 * reminder check. Each runs on a timer that does not keep the process alive, and a slow run is
 * never joined by the next one (a burst of due reminders, a slow mail server).
 */

/** Runs `task` every `intervalMs` until the returned function is called. */
export function runEvery(
  intervalMs: number,
  task: () => Promise<unknown>,
  onError: (err: unknown) => void,
): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    task()
      .catch(onError)
      .finally(() => (running = false));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
