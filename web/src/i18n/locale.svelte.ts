/**
 * The language the client speaks. Dutch unless the user chose otherwise: a signed-in user's
 * choice lives in their profile (the session sets it), a guest's in localStorage.
 */
import { LOCALES, interpolate, messages, type Locale, type MessageKey } from "./messages";

const STORAGE_KEY = "mindspaces.locale";

function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

function storedLocale(): Locale {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return isLocale(value) ? value : "nl";
  } catch {
    return "nl"; // Storage can be switched off; Dutch is the default anyway.
  }
}

const state = $state<{ locale: Locale }>({ locale: storedLocale() });
document.documentElement.lang = state.locale;

export function currentLocale(): Locale {
  return state.locale;
}

/** Switches the language on screen and remembers it on this device. */
export function setLocale(locale: Locale): void {
  state.locale = locale;
  document.documentElement.lang = locale;
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Not remembered on this device; the profile still keeps a signed-in user's choice.
  }
}

/** The text for `key` in the current language. Reading it in markup re-renders on a switch. */
export function t(key: MessageKey, values?: Record<string, string | number>): string {
  return interpolate(messages[key][state.locale], values);
}

export { isLocale };
