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
  MALFORMED_BODY: {
    en: "The request body could not be read (for example, it is not compressed as its Content-Encoding says).",
    nl: "De inhoud van het verzoek kon niet worden gelezen (bijvoorbeeld omdat die niet is ingepakt zoals Content-Encoding zegt).",
  },
  MALFORMED_URL: {
    en: "The web address contains characters that cannot be read. Check the link and try again.",
    nl: "Het webadres bevat tekens die niet gelezen kunnen worden. Controleer de link en probeer het opnieuw.",
  },
  TOO_DEEPLY_NESTED: {
    en: "The request body is nested too deeply.",
    nl: "De inhoud van het verzoek is te diep genest.",
  },
  OPERATOR_NOT_ALLOWED: {
    en: "Field names may not start with '$', contain '.', or be __proto__, constructor or prototype.",
    nl: "Veldnamen mogen niet met '$' beginnen, geen '.' bevatten en niet __proto__, constructor of prototype heten.",
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
  RESERVATION_NOT_FOUND: {
    en: "This reservation does not exist.",
    nl: "Deze reservering bestaat niet.",
  },
  NOTIFICATION_NOT_FOUND: {
    en: "This notification does not exist.",
    nl: "Deze melding bestaat niet.",
  },
  RESERVATION_CONFLICT: {
    en: "The space is already booked for (part of) this time. Choose another time or space.",
    nl: "De ruimte is (een deel van) deze tijd al gereserveerd. Kies een andere tijd of ruimte.",
  },
  RESERVATION_CANCELLED: {
    en: "This reservation has been cancelled and can no longer be changed.",
    nl: "Deze reservering is geannuleerd en kan niet meer worden gewijzigd.",
  },
  RESERVATION_ENDED: {
    en: "This reservation is already over and can no longer be changed or cancelled.",
    nl: "Deze reservering is al voorbij en kan niet meer worden gewijzigd of geannuleerd.",
  },
  CONCURRENT_UPDATE: {
    en: "This reservation was changed at the same moment by someone else. Reload it and try again.",
    nl: "Deze reservering werd op hetzelfde moment door iemand anders gewijzigd. Laad hem opnieuw en probeer het nog eens.",
  },
  SPACE_HAS_RESERVATIONS: {
    en: "This space still has upcoming reservations. Cancel them as well, or move them first.",
    nl: "Deze ruimte heeft nog komende reserveringen. Annuleer die ook, of verplaats ze eerst.",
  },
  IDEMPOTENCY_KEY_REUSED: {
    en: "This Idempotency-Key was already used for a different reservation. Use a new key.",
    nl: "Deze Idempotency-Key is al gebruikt voor een andere reservering. Gebruik een nieuwe sleutel.",
  },
  REQUEST_IN_PROGRESS: {
    en: "The same request is still being handled. Wait a moment and try again.",
    nl: "Hetzelfde verzoek wordt nog verwerkt. Wacht even en probeer het opnieuw.",
  },
  INVALID_WINDOW: {
    en: "The end of the period must be after its start.",
    nl: "Het einde van de periode moet na het begin liggen.",
  },
  WINDOW_TOO_LARGE: {
    en: "The period is too long. Ask for at most 62 days at a time.",
    nl: "De periode is te lang. Vraag maximaal 62 dagen tegelijk op.",
  },
  END_NOT_AFTER_START: {
    en: "The end time must be after the start time.",
    nl: "De eindtijd moet na de begintijd liggen.",
  },
  IN_THE_PAST: {
    en: "This time has already passed. Choose a time in the future.",
    nl: "Dit tijdstip is al voorbij. Kies een tijd in de toekomst.",
  },
  TOO_SHORT: {
    en: "This reservation is shorter than this space allows.",
    nl: "Deze reservering is korter dan voor deze ruimte is toegestaan.",
  },
  TOO_LONG: {
    en: "This reservation is longer than this space allows.",
    nl: "Deze reservering is langer dan voor deze ruimte is toegestaan.",
  },
  BEYOND_HORIZON: {
    en: "This space cannot be booked that far ahead yet.",
    nl: "Deze ruimte kan nog niet zo ver vooruit worden gereserveerd.",
  },
  OUTSIDE_OPENING_HOURS: {
    en: "The space is not open for (part of) this time.",
    nl: "De ruimte is (een deel van) deze tijd niet open.",
  },
  NOT_ALIGNED: {
    en: "Start and end must fall on the time slots of this space (for example every 15 minutes).",
    nl: "Begin en einde moeten op de tijdvakken van deze ruimte vallen (bijvoorbeeld elk kwartier).",
  },
  SPACE_INACTIVE: {
    en: "This space is no longer in use and cannot be booked.",
    nl: "Deze ruimte is niet meer in gebruik en kan niet worden gereserveerd.",
  },
  EMAIL_TAKEN: {
    en: "An account with this e-mail address already exists.",
    nl: "Er bestaat al een account met dit e-mailadres.",
  },
  WEAK_PASSWORD: {
    en: "The password is too weak. Use at least 10 characters, not only letters or only digits, not a common password such as password123, and not the part of your e-mail address before the @.",
    nl: "Het wachtwoord is te zwak. Gebruik minstens 10 tekens, niet alleen letters of alleen cijfers, geen veelgebruikt wachtwoord zoals wachtwoord123, en niet het deel van uw e-mailadres vóór de @.",
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
