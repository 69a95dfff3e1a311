/**
 * reports: utilisation of spaces, from a read model of its own that is built only from the
 * `space.*` and `reservation.*` events. It never asks `spaces` or `reservations`.
 *
 * The read model keeps, per space and per reservation, the latest state an event carried, and
 * applies an event only when it is newer than what is stored (`upsertNewer`). So a redelivered
 * event, or one that arrives after a later one, changes nothing: nothing is counted twice.
 * It holds no personal data (no owners, no titles), so a user's erasure leaves it untouched.
 */
import type { Context, Service, ServiceSchema, ServiceSettingSchema } from "moleculer";
import type { DbAdapter } from "moleculer-db";
import { stringify } from "csv-stringify/sync";
import { createDbMixin } from "../mixins/db.mixin";
import { createUpgradePassesMixin, type UpgradePassesVars } from "../mixins/upgrade-passes.mixin";
import { findMany, upsertNewer } from "../lib/store";
import type { AuthMeta } from "../lib/auth";
import { loadConfig, type AppConfig } from "../lib/config";
import { ErrorType } from "../lib/errors";
import { instantParam } from "../lib/params";
import { toStored } from "../lib/time";
import { readWindow } from "../lib/time-window";
import { backfillMonths, factKeys, forEachFactIn } from "./reports/fact-months";
import { deepFreeze, readStamp, stampVersion, VersionedSnapshot } from "../lib/versioned-snapshot";
import type { ChannelHandlers, EventEnvelope } from "../lib/events/envelope";
import {
  ReservationEvent,
  type PublicReservation,
  type ReservationEvents,
} from "../lib/events/reservation-events";
import { SpaceEvent, type PublicSpace, type SpaceEvents } from "../lib/events/space-events";
import {
  computeUtilization,
  GROUP_BY,
  tallyBooked,
  type GroupBy,
  type SpaceFact,
} from "./reports/utilization";

/** A cell a spreadsheet would read as a formula gets a leading quote, so it stays text. */
export function defuseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** A year and a bit: enough for an annual report, bounded so one request stays cheap. */
export const MAX_REPORT_DAYS = 366;

/**
 * How long a report may take, where other calls have the broker's 10 s: a year over 2,000 spaces
 * reads about 200,000 facts, 17-21 s on FerretDB/PostgreSQL (bench/report-memory.ts), and
 * answered slowly serves a manager better than refused. Under the 60 s a reverse proxy commonly
 * waits for an answer.
 */
export const REPORT_TIMEOUT_MS = 50_000;

/** The start-up pass giving older facts their days and months (lib/upgrade-passes.ts). */
const REPORT_PASSES = ["factMonths"] as const;

/** The version document of the space facts (lib/versioned-snapshot.ts). */
const SPACE_FACTS_VERSION = "reports_spaces";

interface SpaceFactsSnapshot {
  stamp: string | null;
  facts: readonly SpaceFact[];
}

interface ReportsVars extends UpgradePassesVars {
  adapter: DbAdapter;
  spaceFacts: DbAdapter;
  spaceFactsVersions: DbAdapter;
  /**
   * Every space fact, in memory: every report reads them all, and on FerretDB reading 2,000 with
   * their opening hours cost about 0.4 s per report.
   */
  spaceFactsSnapshot: VersionedSnapshot<SpaceFactsSnapshot>;
  /** Every fact carries its `days` and `months` (reports/fact-months.ts), so reports may ask by them. */
  monthsStored?: boolean;
  /** The start-up pass giving older facts their months, awaited by `stopped`. */
  backfill?: Promise<void>;
  stopping?: boolean;
}
interface ReportsMethods {
  factReads(): Parameters<typeof forEachFactIn>[1];
}
type ReportsThis = Service & ReportsVars & ReportsMethods;

async function recordReservation(
  this: ReportsThis,
  event: EventEnvelope<{ reservation: PublicReservation }>,
) {
  const r = event.data.reservation;
  await upsertNewer(
    this.adapter,
    r.id,
    {
      spaceId: r.spaceId,
      start: r.start,
      end: r.end,
      ...factKeys(r.start, r.end),
      status: r.status === "cancelled" ? "cancelled" : "confirmed",
      updatedAt: r.updatedAt,
    },
    [],
    { likelyNew: event.type === ReservationEvent.CREATED },
  );
}

async function recordSpace(this: ReportsThis, event: EventEnvelope<{ space: PublicSpace }>) {
  const s = event.data.space;
  await upsertNewer(this.spaceFacts, s.id, {
    name: s.name,
    site: s.location.site,
    timeZone: s.timeZone,
    openingHours: s.openingHours,
    active: s.active,
    updatedAt: s.updatedAt,
  });
  // Before the event is acknowledged: if this fails, the redelivery stamps again.
  await stampVersion(this.spaceFactsVersions, SPACE_FACTS_VERSION);
}

export function createReportsService(
  config: AppConfig,
): ServiceSchema<ServiceSettingSchema, ReportsMethods, ReportsVars> {
  return {
    name: "reports",

    mixins: [
      // Before the db mixin: its `created` makes the marks' adapter and runs first.
      createUpgradePassesMixin(REPORT_PASSES),
      createDbMixin(
        {
          collection: "reports_reservations",
          indexes: [
            { fields: { start: 1 } },
            // A report's window on MongoDB, month by month and its edges day by day
            // (reports/fact-months.ts).
            { fields: { months: 1 }, only: "mongo" },
            { fields: { days: 1 }, only: "mongo" },
          ],
          extra: [
            { collection: "reports_spaces", property: "spaceFacts" },
            { collection: "reports_spaces_version", property: "spaceFactsVersions" },
            { collection: "reports_upgrades", property: "upgradeMarks" },
          ],
        },
        config,
      ),
    ],

    // Durable consumers (lib/channels/): one group per service, so several instances split
    // the events and each is handled once; acknowledged only after the handler succeeded.
    channels: {
      [ReservationEvent.CREATED]: recordReservation,
      [ReservationEvent.UPDATED]: recordReservation,
      [ReservationEvent.CANCELLED]: recordReservation,
      [SpaceEvent.CREATED]: recordSpace,
      [SpaceEvent.UPDATED]: recordSpace,
      [SpaceEvent.DEACTIVATED]: recordSpace,
    } satisfies ChannelHandlers<ReservationEvents & SpaceEvents, ReportsThis>,

    methods: {
      /** How this instance asks its store for a report's facts now (reports/fact-months.ts). */
      factReads(this: ReportsThis) {
        return {
          store: config.mongoUri ? ("mongo" as const) : ("embedded" as const),
          monthsStored: this.monthsStored === true,
        };
      },
    },

    created(this: ReportsThis) {
      // After the mixins' `created`, so the adapters exist.
      this.spaceFactsSnapshot = new VersionedSnapshot({
        readStamp: () => readStamp(this.spaceFactsVersions, SPACE_FACTS_VERSION),
        load: async stamp => ({
          stamp,
          facts: deepFreeze(await findMany<SpaceFact>(this.spaceFacts, { query: {} })),
        }),
      });
    },

    started(this: ReportsThis) {
      this.stopping = false;
      // NeDB is never asked for `months`; in the background, as a large store takes a while.
      if (!config.mongoUri) return;
      this.backfill = this.upgrades
        .run("factMonths", () => backfillMonths(this.adapter, () => this.stopping === true))
        .then(
          written => {
            if (written === null) return;
            this.monthsStored = true;
            if (written > 0) this.logger.info("Reservation facts given their months", { written });
          },
          // Reports keep asking by the range alone, which misses nothing; the next start tries again.
          err => this.logger.error("Giving reservation facts their months failed", err),
        );
    },

    async stopped(this: ReportsThis) {
      this.stopping = true;
      await this.backfill;
    },

    actions: {
      /**
       * Manager/admin: per space or per location (site), the hours open and booked in
       * [from, to), the utilisation ratio, reservations and cancellations. JSON, or CSV when the
       * request accepts `text/csv`.
       */
      utilization: {
        visibility: "published",
        roles: ["manager", "admin"],
        timeout: REPORT_TIMEOUT_MS,
        openapi: {
          summary: "Utilisation per space or per location",
          description: "In [from, to), at most 366 days. Send `Accept: text/csv` for CSV.",
          response: {
            schema: "Utilization",
            description:
              "Per group: hours open and booked, their ratio, reservations, cancellations.",
            csv:
              "A header row, then one row per group: group, site, space (by space only), spaces, " +
              "openHours, bookedHours, utilization (empty when closed), reservations, cancellations.",
          },
          errors: [ErrorType.INVALID_WINDOW, ErrorType.WINDOW_TOO_LARGE],
        },
        params: {
          from: instantParam,
          to: instantParam,
          groupBy: { type: "enum", values: [...GROUP_BY], default: "space" },
          $$strict: true,
        },
        async handler(
          this: ReportsThis,
          ctx: Context<
            { from: string; to: string; groupBy: GroupBy },
            AuthMeta & {
              accept?: string;
              $responseType?: string;
              $responseHeaders?: Record<string, string>;
            }
          >,
        ) {
          const { from, to } = readWindow(ctx.params, config.defaultTimeZone, MAX_REPORT_DAYS);
          const booked = tallyBooked(from, to);
          const [spaces] = await Promise.all([
            this.spaceFactsSnapshot.read().then(snapshot => snapshot.facts),
            forEachFactIn(this.adapter, this.factReads(), from, to, fact => booked.add(fact)),
          ]);
          const rows = computeUtilization(spaces, booked, ctx.params.groupBy);

          if (ctx.meta.accept?.includes("text/csv")) {
            ctx.meta.$responseType = "text/csv; charset=utf-8";
            ctx.meta.$responseHeaders = {
              "Content-Disposition": `attachment; filename="utilization-${from.toISODate()}-${to.toISODate()}.csv"`,
            };
            const bySpace = ctx.params.groupBy === "space";
            return stringify(
              rows.map(row => ({ ...row, utilization: row.utilization ?? "" })),
              {
                header: true,
                columns: [
                  "group",
                  "site",
                  ...(bySpace ? ["space"] : []),
                  "spaces",
                  "openHours",
                  "bookedHours",
                  "utilization",
                  "reservations",
                  "cancellations",
                ],
                // Names come from users; a spreadsheet must not run one as a formula. Quoted, so
                // one opened with ";" as its separator (Dutch Excel) does not split a name at a
                // ";" and read what follows it as a cell of its own, where a formula would run.
                cast: { string: defuseFormula },
                quoted_string: true,
              },
            );
          }
          return {
            from: toStored(from),
            to: toStored(to),
            groupBy: ctx.params.groupBy,
            rows,
          };
        },
      },
    },
  };
}

export default createReportsService(loadConfig());
