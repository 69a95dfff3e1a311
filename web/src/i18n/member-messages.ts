/** Texts of the member pages (find, space, reservations, notifications, profile), in Dutch and English. */
import type { Texts } from "./texts";

export const memberMessages = {
  // Find a space
  "find.intro": {
    nl: "Vul in wanneer u een ruimte nodig heeft en voor hoeveel personen. Vrije ruimtes staan bovenaan. Met één klik op Reserveer is de ruimte van u.",
    en: "Fill in when you need a space and for how many people. Free spaces are at the top. One click on Book and the space is yours.",
  },
  "find.when": { nl: "Wanneer", en: "When" },
  "find.whenHint": {
    nl: "Tijden zijn in Nederlandse tijd, ook voor een ruimte in een andere tijdzone.",
    en: "Times are in Dutch time, also for a space in another time zone.",
  },
  "find.date": { nl: "Datum", en: "Date" },
  "find.start": { nl: "Begintijd", en: "Start time" },
  "find.end": { nl: "Eindtijd", en: "End time" },
  "find.where": { nl: "Waar en wat", en: "Where and what" },
  "find.site": { nl: "Locatie", en: "Location" },
  "find.anySite": { nl: "Alle locaties", en: "All locations" },
  "find.people": { nl: "Aantal personen", en: "Number of people" },
  "find.equipment": { nl: "Wat moet er in de ruimte zijn?", en: "What must the space have?" },
  "find.equipmentHint": {
    nl: "Kies niets als het niet uitmaakt.",
    en: "Choose nothing if it does not matter.",
  },
  "find.submit": { nl: "Zoeken", en: "Search" },
  "find.results": { nl: "Gevonden ruimtes", en: "Spaces found" },
  "find.resultsCount": {
    nl: "Gevonden: {count}. Vrij op {when}: {free}.",
    en: "Found: {count}. Free on {when}: {free}.",
  },
  "find.none": {
    nl: "Er is geen ruimte die hierbij past. Kies minder benodigdheden, minder personen of een andere locatie.",
    en: "No space matches this. Choose less equipment, fewer people or another location.",
  },
  "find.endBeforeStart": {
    nl: "Eindtijd: kies een tijd na de begintijd.",
    en: "End time: choose a time after the start time.",
  },
  "find.peopleInvalid": {
    nl: "Aantal personen: vul een heel getal in, 1 of meer.",
    en: "Number of people: enter a whole number, 1 or more.",
  },

  // A space in a list or on its page
  "space.free": { nl: "Vrij", en: "Free" },
  "space.busy": { nl: "Bezet", en: "Busy" },
  "space.notFree": { nl: "Niet vrij op deze tijd", en: "Not free at this time" },
  "space.place": { nl: "Plaats", en: "Place" },
  "space.capacity": { nl: "Aantal personen", en: "Number of people" },
  "space.capacityValue": { nl: "tot {count} personen", en: "up to {count} people" },
  "space.capacityOne": { nl: "1 persoon", en: "1 person" },
  "unavailable.END_NOT_AFTER_START": {
    nl: "De eindtijd ligt niet na de begintijd.",
    en: "The end time is not after the start time.",
  },
  "unavailable.IN_THE_PAST": {
    nl: "Deze tijd is al voorbij.",
    en: "This time has already passed.",
  },
  "unavailable.TOO_SHORT": {
    nl: "Korter dan deze ruimte toestaat.",
    en: "Shorter than this space allows.",
  },
  "unavailable.TOO_LONG": {
    nl: "Langer dan deze ruimte toestaat.",
    en: "Longer than this space allows.",
  },
  "unavailable.BEYOND_HORIZON": {
    nl: "Zo ver vooruit is deze ruimte nog niet te reserveren.",
    en: "This space cannot be booked this far ahead yet.",
  },
  "unavailable.OUTSIDE_OPENING_HOURS": {
    nl: "De ruimte is dan niet open.",
    en: "The space is not open then.",
  },
  "unavailable.NOT_ALIGNED": {
    nl: "Deze ruimte reserveert u in vaste tijdstappen: kies een andere begin- of eindtijd.",
    en: "This space is booked in fixed steps: choose another start or end time.",
  },
  "unavailable.SPACE_INACTIVE": {
    nl: "Deze ruimte is niet meer te reserveren.",
    en: "This space can no longer be booked.",
  },
  "unavailable.RESERVATION_CONFLICT": {
    nl: "Al gereserveerd op deze tijd.",
    en: "Already booked at this time.",
  },
  "space.equipment": { nl: "Aanwezig", en: "Equipment" },
  "space.noEquipment": { nl: "geen bijzonderheden", en: "nothing special" },
  "space.book": { nl: "Reserveer", en: "Book" },
  "space.booking": { nl: "Bezig met reserveren…", en: "Booking…" },
  "space.booked": { nl: "Gereserveerd", en: "Booked" },
  "space.details": { nl: "Details en beschikbaarheid", en: "Details and availability" },
  "space.openingHours": { nl: "Openingstijden", en: "Opening hours" },
  "space.closed": { nl: "gesloten", en: "closed" },
  "space.rules": { nl: "Regels voor reserveren", en: "Booking rules" },
  "space.rulesText": {
    nl: "U reserveert deze ruimte voor minstens {min} en hoogstens {max} minuten, in stappen van {slot} minuten, en tot {days} dagen vooruit.",
    en: "You book this space for at least {min} and at most {max} minutes, in steps of {slot} minutes, and up to {days} days ahead.",
  },
  "space.timeZone": {
    nl: "Tijden op deze pagina zijn in tijdzone {zone}.",
    en: "Times on this page are in time zone {zone}.",
  },
  "space.inactive": {
    nl: "Deze ruimte is niet meer in gebruik. U kunt haar niet reserveren.",
    en: "This space is no longer in use. You cannot book it.",
  },
  "space.notFound": {
    nl: "Deze ruimte bestaat niet (meer). Zoek een andere ruimte.",
    en: "This space does not exist (any more). Find another space.",
  },
  "space.toFind": { nl: "Naar Ruimte zoeken", en: "Go to Find a space" },
  "space.availability": { nl: "Beschikbaarheid", en: "Availability" },
  "space.period": { nl: "Periode", en: "Period" },
  "space.day": { nl: "Eén dag", en: "One day" },
  "space.week": { nl: "Een week vanaf deze datum", en: "A week from this date" },
  "space.show": { nl: "Toon beschikbaarheid", en: "Show availability" },
  "space.tableCaption": { nl: "Vrij en bezet, {period}", en: "Free and busy, {period}" },
  "space.weekPeriod": { nl: "{from} tot en met {to}", en: "{from} to {to}" },
  "space.colWhen": { nl: "Wanneer", en: "When" },
  "space.colStatus": { nl: "Vrij of bezet", en: "Free or busy" },
  "space.colAction": { nl: "Actie", en: "Action" },
  "space.yours": { nl: "(uw reservering)", en: "(your reservation)" },
  "space.choose": { nl: "Kies deze tijd", en: "Choose this time" },
  "space.nothingOpen": {
    nl: "De ruimte is in deze periode gesloten of al voorbij.",
    en: "The space is closed or already past in this period.",
  },
  "space.bookTitle": { nl: "Reserveren", en: "Book" },
  "space.bookHint": {
    nl: "Kies hierboven een vrije tijd of vul zelf een tijd in.",
    en: "Choose a free time above or fill in a time yourself.",
  },
  "space.titleLabel": { nl: "Onderwerp (mag leeg blijven)", en: "Subject (may stay empty)" },

  // Booking result
  "booking.done": { nl: "Uw reservering is gemaakt", en: "Your reservation is made" },
  "booking.doneText": { nl: "{space}, {when}.", en: "{space}, {when}." },
  "booking.emailFollows": {
    nl: "U krijgt ook een e-mail met een agenda-uitnodiging.",
    en: "You will also get an e-mail with a calendar invitation.",
  },
  "booking.toReservations": { nl: "Bekijk mijn reserveringen", en: "See my reservations" },
  "booking.refused": { nl: "Niet gereserveerd: {reason}", en: "Not booked: {reason}" },
  "advice.RESERVATION_CONFLICT": {
    nl: "Op de pagina van de ruimte ziet u wanneer zij wel vrij is.",
    en: "The space's page shows when it is free.",
  },
  "advice.TOO_LONG": {
    nl: "Kies een kortere tijd. De regels staan op de pagina van de ruimte.",
    en: "Choose a shorter time. The rules are on the space's page.",
  },
  "advice.TOO_SHORT": {
    nl: "Kies een langere tijd. De regels staan op de pagina van de ruimte.",
    en: "Choose a longer time. The rules are on the space's page.",
  },
  "advice.OUTSIDE_OPENING_HOURS": {
    nl: "Kies een tijd binnen de openingstijden. Die staan op de pagina van de ruimte.",
    en: "Choose a time within the opening hours. They are on the space's page.",
  },
  "advice.BEYOND_HORIZON": {
    nl: "Kies een datum die minder ver vooruit ligt.",
    en: "Choose a date less far ahead.",
  },
  "advice.NOT_ALIGNED": {
    nl: "Laat de tijd beginnen en eindigen op een heel kwartier, bijvoorbeeld 09:00 of 09:15.",
    en: "Let the time start and end on a quarter hour, for example 09:00 or 09:15.",
  },
  "advice.END_NOT_AFTER_START": {
    nl: "Kies een eindtijd na de begintijd.",
    en: "Choose an end time after the start time.",
  },
  "advice.SPACE_INACTIVE": { nl: "Kies een andere ruimte.", en: "Choose another space." },

  // My reservations
  "reservations.intro": {
    nl: "Uw komende reserveringen, de eerstvolgende bovenaan.",
    en: "Your upcoming reservations, the next one first.",
  },
  "reservations.introPast": {
    nl: "Uw eerdere reserveringen, de laatste bovenaan.",
    en: "Your past reservations, the latest first.",
  },
  "reservations.showPast": { nl: "Toon eerdere reserveringen", en: "Show past reservations" },
  "reservations.showUpcoming": {
    nl: "Toon komende reserveringen",
    en: "Show upcoming reservations",
  },
  "reservations.none": {
    nl: "U heeft geen komende reserveringen.",
    en: "You have no upcoming reservations.",
  },
  "reservations.nonePast": {
    nl: "U heeft geen eerdere reserveringen.",
    en: "You have no past reservations.",
  },
  "reservations.findOne": { nl: "Zoek een vrije ruimte", en: "Find a free space" },
  "reservations.shown": {
    nl: "{shown} van de {total} reserveringen getoond.",
    en: "Showing {shown} of {total} reservations.",
  },
  "reservations.showMore": { nl: "Toon meer reserveringen", en: "Show more reservations" },
  "reservations.untitled": { nl: "Zonder onderwerp", en: "No subject" },
  "reservations.subject": { nl: "Onderwerp", en: "Subject" },
  "reservations.when": { nl: "Wanneer", en: "When" },
  "reservations.status": { nl: "Status", en: "Status" },
  "reservations.confirmed": { nl: "Bevestigd", en: "Confirmed" },
  "reservations.cancelled": { nl: "Geannuleerd", en: "Cancelled" },
  "reservations.note": { nl: "Reden van de beheerder", en: "The manager's reason" },
  "reservations.change": { nl: "Wijzigen", en: "Change" },
  "reservations.changeTitle": { nl: "Reservering wijzigen", en: "Change reservation" },
  "reservations.saveChange": { nl: "Wijziging opslaan", en: "Save change" },
  "reservations.changed": {
    nl: "Uw reservering is gewijzigd.",
    en: "Your reservation is changed.",
  },
  "reservations.stopChange": { nl: "Niet wijzigen", en: "Do not change" },
  "reservations.cancel": { nl: "Annuleren", en: "Cancel reservation" },
  "reservations.cancelQuestion": {
    nl: "Weet u zeker dat u deze reservering wilt annuleren? De ruimte is daarna vrij voor anderen.",
    en: "Are you sure you want to cancel this reservation? The space is then free for others.",
  },
  "reservations.cancelYes": { nl: "Ja, annuleer", en: "Yes, cancel it" },
  "reservations.cancelNo": { nl: "Nee, houd de reservering", en: "No, keep it" },
  "reservations.cancelledDone": {
    nl: "Uw reservering is geannuleerd.",
    en: "Your reservation is cancelled.",
  },
  "reservations.calendar": { nl: "Zet in mijn agenda (.ics)", en: "Add to my calendar (.ics)" },
  "reservations.calendarDone": {
    nl: "Het agenda-bestand is gedownload. Open het om de reservering in uw agenda te zetten.",
    en: "The calendar file is downloaded. Open it to put the reservation in your calendar.",
  },
  "reservations.unknownSpace": { nl: "Onbekende ruimte", en: "Unknown space" },

  // Notifications
  "notifications.intro": {
    nl: "Berichten over uw reserveringen, de nieuwste bovenaan.",
    en: "Messages about your reservations, newest first.",
  },
  "notifications.none": { nl: "U heeft geen meldingen.", en: "You have no notifications." },
  "notifications.unread": { nl: "Ongelezen", en: "Unread" },
  "notifications.read": { nl: "Gelezen", en: "Read" },
  "notifications.markRead": { nl: "Markeer als gelezen", en: "Mark as read" },
  "notifications.markAll": { nl: "Markeer alles als gelezen", en: "Mark all as read" },
  "notifications.allRead": {
    nl: "Alle meldingen zijn gelezen.",
    en: "All notifications are read.",
  },
  "notifications.oneRead": { nl: "De melding is gelezen.", en: "The notification is read." },
  "notifications.received": { nl: "Ontvangen: {when}", en: "Received: {when}" },
  "notifications.count": {
    nl: "{count} meldingen, {unread} ongelezen.",
    en: "{count} notifications, {unread} unread.",
  },

  // Profile
  "profile.language": { nl: "Taal", en: "Language" },
  "profile.languageHint": {
    nl: "In deze taal ziet u MindSpaces en krijgt u e-mails.",
    en: "MindSpaces and its e-mails use this language.",
  },
  "password.title": { nl: "Wachtwoord wijzigen", en: "Change password" },
  "password.text": {
    nl: "Na het wijzigen bent u op uw andere apparaten uitgelogd; hier blijft u ingelogd.",
    en: "After the change you are signed out on your other devices; here you stay signed in.",
  },
  "password.current": { nl: "Huidig wachtwoord", en: "Current password" },
  "password.new": { nl: "Nieuw wachtwoord", en: "New password" },
  "password.submit": { nl: "Wachtwoord wijzigen", en: "Change password" },
  "password.changed": {
    nl: "Uw wachtwoord is gewijzigd. Op uw andere apparaten bent u uitgelogd.",
    en: "Your password has been changed. You are signed out on your other devices.",
  },
  "signOutAll.title": { nl: "Overal uitloggen", en: "Sign out everywhere" },
  "signOutAll.text": {
    nl: "Bent u ergens ingelogd gebleven, bijvoorbeeld op een gedeelde computer of een kwijtgeraakte telefoon? Log dan op al uw apparaten uit, ook hier.",
    en: "Still signed in somewhere, for example on a shared computer or a lost phone? Then sign out on all your devices, this one too.",
  },
  "signOutAll.button": { nl: "Log overal uit", en: "Sign out everywhere" },
  "signOutAll.done": {
    nl: "U bent op al uw apparaten uitgelogd.",
    en: "You are signed out on all your devices.",
  },
  "profile.exportTitle": { nl: "Mijn gegevens downloaden", en: "Download my data" },
  "profile.exportText": {
    nl: "U krijgt één bestand (JSON) met alles wat MindSpaces over u bewaart: uw account, reserveringen en meldingen.",
    en: "You get one file (JSON) with everything MindSpaces keeps about you: your account, reservations and notifications.",
  },
  "profile.export": { nl: "Download mijn gegevens", en: "Download my data" },
  "profile.exported": { nl: "Uw gegevens zijn gedownload.", en: "Your data is downloaded." },
  "profile.eraseTitle": { nl: "Mijn account verwijderen", en: "Delete my account" },
  "profile.eraseText": {
    nl: "Als u uw account verwijdert, worden uw komende reserveringen geannuleerd en uw meldingen gewist. Van eerdere reserveringen blijven alleen ruimte en tijd bewaard, zonder uw naam. U kunt daarna niet meer inloggen. Dit kan niet ongedaan worden gemaakt.",
    en: "If you delete your account, your upcoming reservations are cancelled and your notifications deleted. Of past reservations only the space and time are kept, without your name. You can no longer sign in. This cannot be undone.",
  },
  "profile.erase": { nl: "Account verwijderen…", en: "Delete account…" },
  "profile.eraseConfirm": {
    nl: "Ik begrijp dat mijn account en mijn gegevens definitief worden verwijderd.",
    en: "I understand that my account and my data are deleted for good.",
  },
  "profile.eraseConfirmMissing": {
    nl: "Vink eerst aan dat u begrijpt wat er gebeurt.",
    en: "First tick that you understand what happens.",
  },
  "profile.eraseYes": { nl: "Verwijder mijn account definitief", en: "Delete my account for good" },
  "profile.eraseNo": { nl: "Niet verwijderen", en: "Do not delete" },
  "profile.erased": {
    nl: "Uw account is verwijderd. U bent uitgelogd.",
    en: "Your account is deleted. You are signed out.",
  },
} satisfies Record<string, Texts>;
