/** Texts of the manager and admin pages (spaces, reports, users), in Dutch and English. */
import type { Texts } from "./messages";

export const manageMessages = {
  "page.newSpace": { nl: "Nieuwe ruimte", en: "New space" },
  "page.editSpace": { nl: "Ruimte wijzigen", en: "Edit space" },

  "spaces.intro": {
    nl: "Alle ruimtes, ook de ruimtes die niet meer in gebruik zijn.",
    en: "All spaces, including those no longer in use.",
  },
  "spaces.new": { nl: "Nieuwe ruimte toevoegen", en: "Add a new space" },
  "spaces.caption": { nl: "Ruimtes ({count})", en: "Spaces ({count})" },
  "spaces.none": { nl: "Er zijn nog geen ruimtes.", en: "There are no spaces yet." },
  "spaces.loading": { nl: "Ruimtes worden geladen…", en: "Loading spaces…" },
  "spaces.colName": { nl: "Naam", en: "Name" },
  "spaces.colKind": { nl: "Soort", en: "Kind" },
  "spaces.colLocation": { nl: "Locatie", en: "Location" },
  "spaces.colCapacity": { nl: "Personen", en: "People" },
  "spaces.colStatus": { nl: "Status", en: "Status" },
  "spaces.colActions": { nl: "Acties", en: "Actions" },
  "spaces.active": { nl: "In gebruik", en: "In use" },
  "spaces.inactive": { nl: "Niet in gebruik", en: "Not in use" },
  "spaces.edit": { nl: "Wijzigen", en: "Edit" },
  "spaces.editNamed": { nl: "{name} wijzigen", en: "Edit {name}" },
  "spaces.back": { nl: "Terug naar alle ruimtes", en: "Back to all spaces" },

  "kind.meeting-room": { nl: "Vergaderruimte", en: "Meeting room" },
  "kind.workspace": { nl: "Werkruimte", en: "Workspace" },
  "kind.desk": { nl: "Werkplek", en: "Desk" },
  "kind.other": { nl: "Anders", en: "Other" },

  "space.details": { nl: "Gegevens", en: "Details" },
  "space.name": { nl: "Naam", en: "Name" },
  "space.kind": { nl: "Soort ruimte", en: "Kind of space" },
  "space.location": { nl: "Locatie", en: "Location" },
  "space.site": { nl: "Vestiging", en: "Site" },
  "space.siteHint": { nl: "Bijvoorbeeld Utrecht.", en: "For example Utrecht." },
  "space.building": { nl: "Gebouw (niet verplicht)", en: "Building (optional)" },
  "space.floor": { nl: "Verdieping (niet verplicht)", en: "Floor (optional)" },
  "space.capacity": { nl: "Aantal personen", en: "Number of people" },
  "space.equipment": { nl: "Voorzieningen (niet verplicht)", en: "Equipment (optional)" },
  "space.equipmentHint": {
    nl: "Gescheiden door komma's, bijvoorbeeld: beamer, whiteboard. Alleen kleine letters, cijfers en streepjes.",
    en: "Separated by commas, for example: beamer, whiteboard. Only lower-case letters, digits and hyphens.",
  },
  "space.description": { nl: "Beschrijving (niet verplicht)", en: "Description (optional)" },
  "space.timeZone": { nl: "Tijdzone", en: "Time zone" },
  "space.timeZoneHint": {
    nl: "De openingstijden en reserveringen gelden in deze tijdzone.",
    en: "Opening hours and reservations are in this time zone.",
  },
  "space.openingHours": { nl: "Openingstijden", en: "Opening hours" },
  "space.openingHint": {
    nl: "Per dag een of meer tijdvakken. Een dag zonder tijdvak is gesloten. Een eindtijd van 00:00 betekent middernacht, aan het eind van de dag.",
    en: "One or more periods per day. A day without a period is closed. An end time of 00:00 means midnight, at the end of the day.",
  },
  "space.closed": { nl: "Gesloten", en: "Closed" },
  "space.from": { nl: "Van", en: "From" },
  "space.to": { nl: "Tot", en: "To" },
  "space.rangeLabel": { nl: "{day}, tijdvak {n}", en: "{day}, period {n}" },
  "space.addRange": { nl: "Tijdvak toevoegen op {day}", en: "Add a period on {day}" },
  "space.removeRange": { nl: "Tijdvak {n} op {day} verwijderen", en: "Remove period {n} on {day}" },
  "space.rules": { nl: "Regels voor reserveren", en: "Booking rules" },
  "space.minMinutes": { nl: "Kortste reservering (minuten)", en: "Shortest booking (minutes)" },
  "space.maxMinutes": { nl: "Langste reservering (minuten)", en: "Longest booking (minutes)" },
  "space.horizonDays": {
    nl: "Hoeveel dagen vooruit reserveren",
    en: "How many days ahead people can book",
  },
  "space.slotMinutes": { nl: "Tijdstap (minuten)", en: "Time step (minutes)" },
  "space.slotHint": {
    nl: "Reserveringen beginnen en eindigen op een veelvoud hiervan.",
    en: "Bookings start and end on a multiple of this.",
  },
  "space.create": { nl: "Ruimte toevoegen", en: "Add space" },
  "space.created": {
    nl: "De ruimte {name} is toegevoegd.",
    en: "The space {name} has been added.",
  },
  "space.saved": {
    nl: "De wijzigingen in {name} zijn opgeslagen.",
    en: "The changes to {name} are saved.",
  },
  "space.notFound": { nl: "Deze ruimte bestaat niet.", en: "This space does not exist." },

  "day.mon": { nl: "maandag", en: "Monday" },
  "day.tue": { nl: "dinsdag", en: "Tuesday" },
  "day.wed": { nl: "woensdag", en: "Wednesday" },
  "day.thu": { nl: "donderdag", en: "Thursday" },
  "day.fri": { nl: "vrijdag", en: "Friday" },
  "day.sat": { nl: "zaterdag", en: "Saturday" },
  "day.sun": { nl: "zondag", en: "Sunday" },

  "check.range": {
    nl: "{day}, tijdvak {n}: de eindtijd moet na de begintijd liggen.",
    en: "{day}, period {n}: the end time must be after the start time.",
  },
  "check.overlap": {
    nl: "{day}: de tijdvakken overlappen elkaar.",
    en: "{day}: the periods overlap.",
  },
  "check.time": {
    nl: "{day}, tijdvak {n}: vul een begin- en eindtijd in.",
    en: "{day}, period {n}: enter a start and end time.",
  },
  "check.wholeNumber": {
    nl: "{field}: vul een heel getal in van {min} tot en met {max}.",
    en: "{field}: enter a whole number from {min} to {max}.",
  },
  "check.minMax": {
    nl: "De kortste reservering mag niet langer zijn dan de langste.",
    en: "The shortest booking must not be longer than the longest.",
  },
  "check.equipment": {
    nl: "{field}: gebruik alleen kleine letters, cijfers en streepjes, gescheiden door komma's.",
    en: "{field}: use only lower-case letters, digits and hyphens, separated by commas.",
  },

  "deactivate.title": { nl: "Ruimte uit gebruik nemen", en: "Take the space out of use" },
  "deactivate.text": {
    nl: "Na het uit gebruik nemen kan niemand deze ruimte meer reserveren. Bestaande gegevens blijven bewaard.",
    en: "Once out of use, nobody can book this space. Existing records are kept.",
  },
  "deactivate.button": { nl: "Uit gebruik nemen", en: "Take out of use" },
  "deactivate.done": {
    nl: "{name} is uit gebruik genomen.",
    en: "{name} has been taken out of use.",
  },
  "deactivate.doneCancelled": {
    nl: "{name} is uit gebruik genomen en {count} reservering(en) zijn geannuleerd.",
    en: "{name} has been taken out of use and {count} reservation(s) have been cancelled.",
  },
  "deactivate.hasReservations": {
    nl: "Deze ruimte heeft nog {count} komende reservering(en). U kunt de ruimte pas uit gebruik nemen als die zijn geannuleerd.",
    en: "This space still has {count} upcoming reservation(s). You can only take it out of use once they are cancelled.",
  },
  "deactivate.confirmCancel": {
    nl: "Ik begrijp dat deze {count} reservering(en) worden geannuleerd en dat de mensen die ze maakten een melding krijgen.",
    en: "I understand that these {count} reservation(s) will be cancelled and that the people who made them will be notified.",
  },
  "deactivate.cancelButton": {
    nl: "Reserveringen annuleren en uit gebruik nemen",
    en: "Cancel the reservations and take out of use",
  },
  "deactivate.confirmRequired": {
    nl: "Vink eerst aan dat u begrijpt dat de reserveringen worden geannuleerd.",
    en: "First tick that you understand the reservations will be cancelled.",
  },
  "deactivate.keep": { nl: "Niet uit gebruik nemen", en: "Keep it in use" },
  "deactivate.inactive": {
    nl: "Deze ruimte is niet in gebruik. Niemand kan haar reserveren.",
    en: "This space is not in use. Nobody can book it.",
  },

  "page.spaceReservations": { nl: "Reserveringen van een ruimte", en: "Reservations of a space" },
  "spaces.reservationsLink": { nl: "Reserveringen", en: "Reservations" },
  "spaces.reservationsOf": { nl: "Reserveringen van {name}", en: "Reservations of {name}" },
  "spaces.viewReservations": {
    nl: "Bekijk de reserveringen van deze ruimte",
    en: "See the reservations of this space",
  },
  "bookings.intro": {
    nl: "De komende reserveringen van iedereen, de eerstvolgende eerst. Tijden in {zone}.",
    en: "Everyone's upcoming reservations, the next one first. Times in {zone}.",
  },
  "bookings.caption": {
    nl: "Komende reserveringen ({count})",
    en: "Upcoming reservations ({count})",
  },
  "bookings.none": {
    nl: "Deze ruimte heeft geen komende reserveringen.",
    en: "This space has no upcoming reservations.",
  },
  "bookings.loading": { nl: "Reserveringen worden geladen…", en: "Loading reservations…" },
  "bookings.colWhen": { nl: "Wanneer", en: "When" },
  "bookings.colTitle": { nl: "Omschrijving", en: "Description" },
  "bookings.colOwner": { nl: "Gereserveerd door", en: "Booked by" },
  "bookings.colAction": { nl: "Actie", en: "Action" },
  "bookings.unknownOwner": { nl: "Onbekend", en: "Unknown" },
  "bookings.noTitle": { nl: "Geen omschrijving", en: "No description" },
  "bookings.cancel": { nl: "Annuleren", en: "Cancel" },
  "bookings.cancelNamed": {
    nl: "Reservering van {when} annuleren",
    en: "Cancel the reservation of {when}",
  },
  "bookings.cancelTitle": { nl: "Reservering annuleren", en: "Cancel a reservation" },
  "bookings.cancelWho": {
    nl: "U annuleert de reservering van {owner} op {when}.",
    en: "You are cancelling the reservation of {owner} on {when}.",
  },
  "bookings.reason": { nl: "Reden", en: "Reason" },
  "bookings.reasonHint": {
    nl: "{owner} krijgt deze reden te zien in de melding over de annulering. Hoogstens 500 tekens.",
    en: "{owner} sees this reason in the notification about the cancellation. At most 500 characters.",
  },
  "bookings.confirmCancel": { nl: "Reservering annuleren", en: "Cancel the reservation" },
  "bookings.keep": { nl: "Niet annuleren", en: "Do not cancel" },
  "bookings.cancelled": {
    nl: "De reservering van {owner} op {when} is geannuleerd. {owner} krijgt een melding.",
    en: "The reservation of {owner} on {when} is cancelled. {owner} is notified.",
  },
  "bookings.previous": { nl: "Vorige pagina", en: "Previous page" },
  "bookings.next": { nl: "Volgende pagina", en: "Next page" },
  "bookings.pageOf": { nl: "Pagina {page} van {pages}", en: "Page {page} of {pages}" },

  "reports.intro": {
    nl: "Hoeveel van de openingstijd de ruimtes gereserveerd waren, over een periode van hoogstens een jaar.",
    en: "How much of their opening time the spaces were booked, over a period of at most a year.",
  },
  "reports.period": { nl: "Periode en indeling", en: "Period and grouping" },
  "reports.from": { nl: "Van", en: "From" },
  "reports.to": { nl: "Tot en met", en: "Up to and including" },
  "reports.groupBy": { nl: "Indelen per", en: "Group by" },
  "reports.bySpace": { nl: "Ruimte", en: "Space" },
  "reports.byLocation": { nl: "Vestiging", en: "Site" },
  "reports.show": { nl: "Rapport tonen", en: "Show report" },
  "reports.download": { nl: "Download als CSV-bestand", en: "Download as a CSV file" },
  "reports.downloaded": {
    nl: "Het CSV-bestand is gedownload.",
    en: "The CSV file has been downloaded.",
  },
  "reports.toBeforeFrom": {
    nl: "Tot en met: kies een datum op of na de begindatum.",
    en: "Up to and including: choose a date on or after the start date.",
  },
  "reports.tooLong": {
    nl: "Tot en met: de periode mag hoogstens 366 dagen zijn.",
    en: "Up to and including: the period can be at most 366 days.",
  },
  "reports.loading": { nl: "Rapport wordt gemaakt…", en: "Making the report…" },
  "reports.none": {
    nl: "Er zijn geen ruimtes in deze periode.",
    en: "There are no spaces in this period.",
  },
  "reports.ready": {
    nl: "Het rapport van {from} tot en met {to} staat hieronder. Aantal regels: {count}.",
    en: "The report from {from} up to and including {to} is below. Number of rows: {count}.",
  },
  "reports.chartTitle": { nl: "Bezetting in procenten", en: "Utilisation in per cent" },
  "reports.chartSummary": {
    nl: "Staafdiagram van de bezetting per {group}. Hoogste: {high} met {highValue}. Laagste: {low} met {lowValue}. De tabel hieronder geeft alle cijfers.",
    en: "Bar chart of utilisation per {group}. Highest: {high} at {highValue}. Lowest: {low} at {lowValue}. The table below gives all the figures.",
  },
  "reports.notOpen": { nl: "niet open", en: "not open" },
  "reports.caption": {
    nl: "Bezetting van {from} tot en met {to}",
    en: "Utilisation from {from} up to and including {to}",
  },
  "reports.colGroupSpace": { nl: "Ruimte", en: "Space" },
  "reports.colGroupSite": { nl: "Vestiging", en: "Site" },
  "reports.colSite": { nl: "Vestiging", en: "Site" },
  "reports.colSpaces": { nl: "Ruimtes", en: "Spaces" },
  "reports.colOpen": { nl: "Open (uren)", en: "Open (hours)" },
  "reports.colBooked": { nl: "Gereserveerd (uren)", en: "Booked (hours)" },
  "reports.colUtilization": { nl: "Bezetting", en: "Utilisation" },
  "reports.colReservations": { nl: "Reserveringen", en: "Reservations" },
  "reports.colCancellations": { nl: "Annuleringen", en: "Cancellations" },
} satisfies Record<string, Texts>;
