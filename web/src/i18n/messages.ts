/**
 * Every text the client shows, in Dutch and English. The type demands both languages for each
 * key, and `t()` accepts only keys that exist, so a missing text fails `svelte-check`.
 * test/unit/web/i18n-keys.spec.ts also scans the .svelte files for keys that are not here.
 *
 * Dutch addresses the reader as "u", as the server's messages and e-mails do.
 *
 * Placeholders are written `{name}` and filled by `t(key, { name })`.
 */
import { memberMessages } from "./member-messages";
import { manageMessages } from "./manage-messages";

export type Locale = "nl" | "en";
export const LOCALES: readonly Locale[] = ["nl", "en"];

import type { Texts } from "./texts";

/** The shell's texts: navigation, sign-in, forms, validation. Pages keep theirs apart. */
export const shellMessages = {
  "app.name": { nl: "MindSpaces", en: "MindSpaces" },
  "app.skipLink": { nl: "Naar de inhoud", en: "Skip to content" },
  "app.footer": {
    nl: "MindSpaces: ruimtes reserveren in uw eigen organisatie",
    en: "MindSpaces: reserve spaces in your own organisation",
  },

  "nav.label": { nl: "Hoofdmenu", en: "Main menu" },
  "nav.find": { nl: "Ruimte zoeken", en: "Find a space" },
  "nav.reservations": { nl: "Mijn reserveringen", en: "My reservations" },
  "nav.notifications": { nl: "Meldingen", en: "Notifications" },
  "nav.unread": { nl: "{count} ongelezen", en: "{count} unread" },
  "nav.profile": { nl: "Mijn gegevens", en: "My details" },
  "nav.manageSpaces": { nl: "Ruimtes beheren", en: "Manage spaces" },
  "nav.reports": { nl: "Rapporten", en: "Reports" },
  "nav.users": { nl: "Gebruikers", en: "Users" },
  "nav.signIn": { nl: "Inloggen", en: "Sign in" },
  "nav.register": { nl: "Account aanmaken", en: "Create an account" },
  "nav.signOut": { nl: "Uitloggen", en: "Sign out" },
  "nav.signedInAs": { nl: "Ingelogd als {name}", en: "Signed in as {name}" },

  "language.switchTo": { nl: "English", en: "Nederlands" },
  "language.saved": {
    nl: "De taal is opgeslagen in uw account.",
    en: "The language is saved in your account.",
  },

  "page.find": { nl: "Ruimte zoeken", en: "Find a space" },
  "page.space": { nl: "Ruimte", en: "Space" },
  "page.reservations": { nl: "Mijn reserveringen", en: "My reservations" },
  "page.notifications": { nl: "Meldingen", en: "Notifications" },
  "page.profile": { nl: "Mijn gegevens", en: "My details" },
  "page.signIn": { nl: "Inloggen", en: "Sign in" },
  "page.register": { nl: "Account aanmaken", en: "Create an account" },
  "page.manageSpaces": { nl: "Ruimtes beheren", en: "Manage spaces" },
  "page.reports": { nl: "Rapporten", en: "Reports" },
  "page.users": { nl: "Gebruikers", en: "Users" },
  "page.notFound": { nl: "Pagina niet gevonden", en: "Page not found" },
  "page.noAccess": { nl: "Geen toegang", en: "No access" },
  "page.notFoundText": {
    nl: "Deze pagina bestaat niet. Controleer het adres of ga naar de startpagina.",
    en: "This page does not exist. Check the address or go to the start page.",
  },
  "page.noAccessText": {
    nl: "U heeft geen rechten voor deze pagina. Vraag uw beheerder als u die wel nodig heeft.",
    en: "You do not have permission for this page. Ask your administrator if you need it.",
  },
  "page.toStart": { nl: "Naar de startpagina", en: "Go to the start page" },

  "form.email": { nl: "E-mailadres", en: "E-mail address" },
  "form.password": { nl: "Wachtwoord", en: "Password" },
  "form.name": { nl: "Naam", en: "Name" },
  "form.passwordHint": {
    nl: "Minstens 10 tekens, niet alleen letters of alleen cijfers, geen veelgebruikt wachtwoord, en niet het deel van uw e-mailadres vóór de @.",
    en: "At least 10 characters, not only letters or only digits, not a common password, and not the part of your e-mail address before the @.",
  },
  "form.nameHint": {
    nl: "Zo zien collega's en beheerders u.",
    en: "This is how colleagues and administrators see you.",
  },
  "form.save": { nl: "Opslaan", en: "Save" },
  "form.saved": { nl: "Uw wijzigingen zijn opgeslagen.", en: "Your changes are saved." },
  "form.busy": { nl: "Bezig…", en: "Working…" },

  "signIn.submit": { nl: "Inloggen", en: "Sign in" },
  "signIn.noAccount": { nl: "Nog geen account?", en: "No account yet?" },
  "signIn.expired": {
    nl: "Uw sessie is verlopen. Log opnieuw in; wat u had ingevuld is bewaard.",
    en: "Your session has ended. Sign in again; what you had typed is kept.",
  },
  "signIn.required": {
    nl: "Log in om deze pagina te zien.",
    en: "Sign in to see this page.",
  },
  "signIn.signedOut": { nl: "U bent uitgelogd.", en: "You are signed out." },
  "register.submit": { nl: "Account aanmaken", en: "Create account" },
  "register.haveAccount": { nl: "Heeft u al een account?", en: "Already have an account?" },
  "register.closed": {
    nl: "U kunt hier zelf geen account aanmaken. Vraag uw beheerder om een account.",
    en: "You cannot create an account here yourself. Ask your administrator for one.",
  },
  "register.welcome": {
    nl: "Welkom, {name}. Uw account is aangemaakt.",
    en: "Welcome, {name}. Your account has been created.",
  },
  "profile.emailLabel": { nl: "Uw e-mailadres", en: "Your e-mail address" },

  "errors.summaryTitle": { nl: "Er is een probleem", en: "There is a problem" },
  "errors.prefix": { nl: "Fout:", en: "Error:" },
  "errors.network": {
    nl: "MindSpaces is niet bereikbaar. Controleer uw verbinding en probeer het opnieuw.",
    en: "MindSpaces cannot be reached. Check your connection and try again.",
  },
  "errors.listFailed": {
    nl: "De lijst kon niet worden geladen.",
    en: "The list could not be loaded.",
  },
  "errors.retry": { nl: "Opnieuw proberen", en: "Try again" },
  "errors.unexpected": {
    nl: "Er ging iets mis. Probeer het opnieuw.",
    en: "Something went wrong. Please try again.",
  },
  "validation.required": { nl: "{field}: vul dit in.", en: "{field}: fill this in." },
  "validation.email": {
    nl: "{field}: vul een e-mailadres in zoals naam@voorbeeld.nl.",
    en: "{field}: enter an e-mail address like name@example.org.",
  },
  "validation.tooShort": {
    nl: "{field}: dit is te kort (minstens {min} tekens).",
    en: "{field}: this is too short (at least {min} characters).",
  },
  "validation.tooLong": { nl: "{field}: dit is te lang.", en: "{field}: this is too long." },
  "validation.wrongPassword": {
    nl: "{field}: dit wachtwoord klopt niet.",
    en: "{field}: this password is not right.",
  },
  "validation.invalid": {
    nl: "{field}: controleer wat u heeft ingevuld.",
    en: "{field}: check what you have entered.",
  },
} satisfies Record<string, Texts>;

/**
 * One dictionary; pages of different areas keep their texts in their own files. A key may be in
 * only one of them: merged, the later file's text silently replaced the earlier one's (members
 * read the manager's form labels on a space's page). test/unit/web/i18n-keys.spec.ts checks it.
 */
export const messages = { ...shellMessages, ...memberMessages, ...manageMessages };

export type MessageKey = keyof typeof messages;

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(messages, key);
}

/** Fills `{name}` placeholders; an unknown placeholder stays visible rather than vanishing. */
export function interpolate(text: string, values: Record<string, string | number> = {}): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? String(values[name]) : whole,
  );
}
