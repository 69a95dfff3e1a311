/**
 * Messages that screen readers must hear without moving focus: the page title after a
 * navigation (hidden, polite) and success/error messages (visible, in a live region that is in
 * the page from the start, because a region added together with its text is often not read).
 */
import { t } from "../i18n/locale.svelte";

export type StatusKind = "success" | "error" | "info";

export interface StatusMessage {
  kind: StatusKind;
  text: string;
}

const state = $state<{ status: StatusMessage | null; pageAnnouncement: string; keep: boolean }>({
  status: null,
  pageAnnouncement: "",
  keep: false,
});

export const liveRegions = {
  get status(): StatusMessage | null {
    return state.status;
  },
  get pageAnnouncement(): string {
    return state.pageAnnouncement;
  },
};

/**
 * Shows a message in the status region. With `survivesNavigation` it stays through the next
 * page change, e.g. "You are signed out" shown on the sign-in page.
 */
export function showStatus(
  kind: StatusKind,
  text: string,
  options: { survivesNavigation?: boolean } = {},
): void {
  state.status = { kind, text };
  state.keep = options.survivesNavigation ?? false;
}

/** What to tell the user about a failure: an Error's message (the API's is already in their
 * language), else a general one. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : t("errors.unexpected");
}

/** Shows a failure in the status region. */
export function showError(error: unknown): void {
  showStatus("error", errorText(error));
}

export function clearStatus(): void {
  state.status = null;
}

/** Called by the shell on each navigation. */
export function pageChanged(title: string): void {
  if (state.keep) state.keep = false;
  else state.status = null;
  // Cleared first so the same title twice is announced twice.
  state.pageAnnouncement = "";
  queueMicrotask(() => (state.pageAnnouncement = title));
}
