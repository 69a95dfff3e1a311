/**
 * Where the user is, on the History API: real paths (/spaces/42), so links can be shared,
 * bookmarked and reloaded; the gateway answers index.html for any such path.
 */
export interface Location {
  path: string;
  query: URLSearchParams;
}

function read(): Location {
  return { path: window.location.pathname, query: new URLSearchParams(window.location.search) };
}

const state = $state<{ location: Location; navigations: number }>({
  location: read(),
  navigations: 0,
});

export const router = {
  get location(): Location {
    return state.location;
  },
  /** Counts in-app navigations, so the shell moves focus on them but not on the first load. */
  get navigations(): number {
    return state.navigations;
  },
};

/**
 * Goes to `to` inside the client. `replace` does not add a history entry (redirects); `quiet`
 * does not count as a navigation, so a redirect on first load does not move focus.
 */
export function navigate(to: string, options: { replace?: boolean; quiet?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, "", to);
  else history.pushState(null, "", to);
  state.location = read();
  if (!options.quiet) state.navigations += 1;
}

/** A path inside the client that is safe to return to after signing in (never another host). */
export function safeReturnPath(candidate: string | null): string | null {
  if (!candidate || !candidate.startsWith("/") || candidate.startsWith("//")) return null;
  if (candidate.startsWith("/api/") || candidate.startsWith("/sign-in")) return null;
  return candidate;
}

/** The current path with its query, e.g. for `?return=`. */
export function currentPathWithQuery(): string {
  return window.location.pathname + window.location.search;
}

function onPopState(): void {
  state.location = read();
  state.navigations += 1;
}

/**
 * Plain `<a href="/find">` links navigate inside the client; a modified click (new tab), a
 * download, another origin or an /api link is left to the browser.
 */
function onClick(event: MouseEvent): void {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const anchor = (event.target as Element | null)?.closest("a");
  if (!anchor || anchor.target || anchor.hasAttribute("download")) return;
  const url = new URL(anchor.href, window.location.href);
  if (url.origin !== window.location.origin || url.pathname.startsWith("/api/")) return;
  if (url.pathname === window.location.pathname && url.hash) return; // in-page link
  event.preventDefault();
  navigate(url.pathname + url.search);
}

export function startRouter(): void {
  window.addEventListener("popstate", onPopState);
  document.addEventListener("click", onClick);
}
