/**
 * The unread-notifications count in the header. Read from `GET /api/notifications`, whose answer
 * carries `unread` for the whole list, so one row is enough. The notifications page calls
 * `refreshUnread()` after marking notifications read.
 */
import { api } from "./api";

interface NotificationPage {
  unread: number;
}

const state = $state<{ unread: number | null }>({ unread: null });

export const notifications = {
  /** null until known (and when signed out): the header then shows no number. */
  get unread(): number | null {
    return state.unread;
  },
};

export async function refreshUnread(): Promise<void> {
  try {
    const page = await api.get<NotificationPage>("/api/notifications", {
      query: { pageSize: 1 },
    });
    state.unread = page.unread;
  } catch {
    // The count is a hint; a failure here must not disturb the page (a 401 is handled in api).
    state.unread = null;
  }
}

export function forgetUnread(): void {
  state.unread = null;
}
