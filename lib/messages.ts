/**
 * Error messages in the caller's language. Services raise errors in English with a stable
 * `type`; the gateway looks the type up here. Many of our users have little IT experience, so
 * each message says what happened and, where there is one, what to do about it.
 */
import type { ErrorTypeName } from "./errors";
import type { Locale } from "./config";

type Translations = Record<Locale, string>;

const messages: Record<ErrorTypeName, Translations> = {
  VALIDATION_ERROR: {
    en: "Some of the information sent is missing or not valid. Please check it and try again.",
    nl: "Een deel van de gegevens ontbreekt of is niet geldig. Controleer de gegevens en probeer het opnieuw.",
  },
  MALFORMED_JSON: {
    en: "The request body is not valid JSON.",
    nl: "De inhoud van het verzoek is geen geldige JSON.",
  },
  OPERATOR_NOT_ALLOWED: {
    en: "Field names may not start with '$' or contain '.'.",
    nl: "Veldnamen mogen niet met '$' beginnen of een '.' bevatten.",
  },
  UNAUTHENTICATED: {
    en: "Please sign in to continue.",
    nl: "Log in om verder te gaan.",
  },
  TOKEN_INVALID: {
    en: "Your sign-in is not valid. Please sign in again.",
    nl: "Uw aanmelding is niet geldig. Log opnieuw in.",
  },
  TOKEN_EXPIRED: {
    en: "Your session has expired. Please sign in again.",
    nl: "Uw sessie is verlopen. Log opnieuw in.",
  },
  INVALID_CREDENTIALS: {
    en: "The e-mail address or password is incorrect.",
    nl: "Het e-mailadres of wachtwoord is onjuist.",
  },
  ACCOUNT_DEACTIVATED: {
    en: "This account has been deactivated. Please contact your administrator.",
    nl: "Dit account is gedeactiveerd. Neem contact op met uw beheerder.",
  },
  FORBIDDEN: {
    en: "You are not allowed to do this.",
    nl: "U heeft geen toestemming om dit te doen.",
  },
  REGISTRATION_CLOSED: {
    en: "Creating an account yourself is switched off. Please ask your administrator for an account.",
    nl: "Zelf een account aanmaken is uitgeschakeld. Vraag uw beheerder om een account.",
  },
  NOT_FOUND: {
    en: "This page or item does not exist.",
    nl: "Deze pagina of dit item bestaat niet.",
  },
  USER_NOT_FOUND: {
    en: "This user does not exist.",
    nl: "Deze gebruiker bestaat niet.",
  },
  SPACE_NOT_FOUND: {
    en: "This space does not exist.",
    nl: "Deze ruimte bestaat niet.",
  },
  EMAIL_TAKEN: {
    en: "An account with this e-mail address already exists.",
    nl: "Er bestaat al een account met dit e-mailadres.",
  },
  WEAK_PASSWORD: {
    en: "The password is too weak. Use at least 10 characters, not only letters or only digits, and not your e-mail address.",
    nl: "Het wachtwoord is te zwak. Gebruik minstens 10 tekens, niet alleen letters of alleen cijfers, en niet uw e-mailadres.",
  },
  LAST_ADMIN: {
    en: "This would leave no active administrator. Make someone else administrator first.",
    nl: "Dan blijft er geen actieve beheerder over. Maak eerst iemand anders beheerder.",
  },
  PAYLOAD_TOO_LARGE: {
    en: "The request is too large.",
    nl: "Het verzoek is te groot.",
  },
  UNSUPPORTED_MEDIA_TYPE: {
    en: "Send the request body as JSON (Content-Type: application/json).",
    nl: "Stuur de inhoud van het verzoek als JSON (Content-Type: application/json).",
  },
  RATE_LIMITED: {
    en: "Too many attempts. Please wait a minute and try again.",
    nl: "Te veel pogingen. Wacht een minuut en probeer het opnieuw.",
  },
  SERVICE_UNAVAILABLE: {
    en: "This part of MindSpaces is temporarily unavailable. Please try again in a moment.",
    nl: "Dit deel van MindSpaces is tijdelijk niet beschikbaar. Probeer het zo opnieuw.",
  },
  INTERNAL_ERROR: {
    en: "Something went wrong on our side. Please try again later.",
    nl: "Er ging bij ons iets mis. Probeer het later opnieuw.",
  },
};

export function isKnownErrorType(type: unknown): type is ErrorTypeName {
  return typeof type === "string" && Object.prototype.hasOwnProperty.call(messages, type);
}

export function translate(type: ErrorTypeName, locale: Locale): string {
  return messages[type][locale];
}

/**
 * Picks nl or en from an Accept-Language header, honouring q-values; `null` when the header
 * names neither, so the caller can fall back to the user's or the deployment's default.
 */
export function localeFromAcceptLanguage(header: string | undefined): Locale | null {
  if (!header) return null;
  const ranked = header
    .split(",")
    .map((part, index) => {
      const [tag, ...params] = part.trim().toLowerCase().split(";");
      const q = params.map(p => p.trim()).find(p => p.startsWith("q="));
      const weight = q ? Number(q.slice(2)) : 1;
      return { language: tag.split("-")[0], weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter(entry => entry.weight > 0 && (entry.language === "nl" || entry.language === "en"))
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  return ranked.length > 0 ? (ranked[0].language as Locale) : null;
}
