/**
 * Keeps what a user typed when their session ends mid-form. The page's form state is saved in
 * sessionStorage under the page's path; after signing in again the user comes back to that path
 * and the form starts from the draft. Never keep a password in a draft.
 */
import { onDestroy } from "svelte";

type DraftValues = Record<string, string>;

const PREFIX = "mindspaces.draft:";
const collectors = new Map<string, () => DraftValues>();

/** Saves every open form's state; the session calls this before sending the user to sign in. */
export function saveDrafts(): void {
  for (const [path, collect] of collectors) {
    sessionStorage.setItem(PREFIX + path, JSON.stringify(collect()));
  }
}

/** Reads and forgets the draft saved for `path`. */
export function takeDraft(path: string): DraftValues | null {
  const raw = sessionStorage.getItem(PREFIX + path);
  if (raw === null) return null;
  sessionStorage.removeItem(PREFIX + path);
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== "object" || parsed === null) return null;
    return Object.fromEntries(
      Object.entries(parsed).filter((entry): entry is [string, string] => {
        return typeof entry[1] === "string";
      }),
    );
  } catch {
    return null;
  }
}

/**
 * Form state that survives a session ending: call during component set-up, bind inputs to the
 * returned object's fields. Starts from the saved draft for `path` when there is one.
 *
 *   const form = draftForm(router.location.path, { name: "" });
 *   <input bind:value={form.name} />
 */
export function draftForm<T extends DraftValues>(path: string, initial: T): T {
  const draft = takeDraft(path);
  const restored = { ...initial };
  for (const key of Object.keys(initial) as (keyof T & string)[]) {
    const value = draft?.[key];
    if (value !== undefined) restored[key] = value as T[typeof key];
  }
  const form = $state(restored);
  collectors.set(path, () => ({ ...form }));
  onDestroy(() => collectors.delete(path));
  return form;
}
