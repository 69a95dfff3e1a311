/**
 * spaces: the catalogue of spaces a organisation offers, with where they are, what they hold,
 * when they are open and the rules for booking them. Members read; managers and admins manage.
 */
import {
  type Context,
  type Service,
  type ServiceSchema,
  type ServiceSettingSchema,
} from "moleculer";
import type { DbAdapter } from "moleculer-db";
import { createDbMixin } from "../mixins/db.mixin";
import { nextUpdatedAt } from "../lib/store";
import { idParam, lineTextParam, paragraphTextParam } from "../lib/params";
import { readWindow } from "../lib/time-window";
import type { BookingRules, OpeningHours } from "../lib/bookable-space";
import {
  SPACE_EVENTS,
  SPACE_KINDS,
  SpaceEvent,
  type SpaceEvents,
  type SpaceKind,
  type SpaceLocation,
} from "../lib/events/space-events";
import { randomUUID } from "node:crypto";
import {
  createDurableEventsMixin,
  OUTBOX_INDEXES,
  outboxOf,
  withEvent,
  type DurableEventsMethods,
} from "../mixins/durable-events.mixin";
import { pageOf, pageParams } from "../lib/paging";
import { requireUser, type AuthMeta } from "../lib/auth";
import { answerCreated, type CreatedMeta } from "../lib/created";
import { loadConfig, type AppConfig } from "../lib/config";
import { ErrorType, fail, failValidation } from "../lib/errors";
import {
  DEFAULT_OPENING_HOURS,
  DEFAULT_RULES,
  equipmentParam,
  assertConsistent,
  locationParam,
  openingHoursParam,
  rulesParam,
  siteGroupOf,
  toPublicSpace,
  type SpaceRecord,
} from "./spaces/space-record";
import { apiDocs } from "./spaces/api-docs";
import {
  askAvailability,
  matchesQuery,
  MAX_RANKED_CANDIDATES,
  rankedPage,
  searchParams,
  searchQuery,
  type SearchFilters,
} from "./spaces/search";
import { candidatesFor, SpaceSnapshot, snapshotStore, stampVersion } from "./spaces/space-snapshot";
import { seedDemoSpaces } from "./spaces/demo-spaces";
import { facetsOf } from "./spaces/facets";

/** The longest "free during" window, as for a space's availability. */
const SEARCH_WINDOW_DAYS = 62;

interface SpaceInput {
  name?: string;
  kind?: SpaceKind;
  location?: SpaceLocation;
  capacity?: number;
  equipment?: string[];
  description?: string;
  timeZone?: string;
  openingHours?: OpeningHours;
  rules?: BookingRules;
}

type SearchParams = SearchFilters & { from?: string; to?: string; page: number; pageSize: number };

interface SpacesMethods extends DurableEventsMethods<SpaceEvents> {
  findSpace(id: string): Promise<SpaceRecord>;
  /** After a write to a space is stored: every instance's next read reloads the catalogue. */
  spacesChanged(): Promise<void>;
}

interface SpacesVars {
  adapter: DbAdapter;
  /** The collection of the catalogue's version document (space-snapshot.ts). */
  versions: DbAdapter;
  /** What every read answers from. */
  snapshot: SpaceSnapshot;
}

type SpacesThis = Service & SpacesMethods & SpacesVars;

const MANAGERS = ["manager", "admin"] as const;

const spaceFields = {
  name: lineTextParam({ min: 1, max: 120 }),
  kind: { type: "enum", values: [...SPACE_KINDS] },
  location: locationParam,
  capacity: { type: "number", integer: true, min: 1, max: 10_000 },
  equipment: { ...equipmentParam, optional: true },
  description: { ...paragraphTextParam({ max: 2000 }), optional: true },
  timeZone: { type: "string", max: 64, optional: true },
  openingHours: { ...openingHoursParam, optional: true },
  rules: { ...rulesParam, optional: true },
} as const;

const optional = <T extends object>(schema: T) => ({ ...schema, optional: true });

export function createSpacesService(
  config: AppConfig,
): ServiceSchema<ServiceSettingSchema, SpacesMethods, SpacesVars> {
  return {
    name: "spaces",

    mixins: [
      createDbMixin(
        {
          collection: "spaces",
          indexes: [
            { fields: { siteKey: 1, kind: 1, capacity: 1 } },
            { fields: { active: 1 } },
            ...OUTBOX_INDEXES,
          ],
          extra: [{ collection: "spaces_version", property: "versions" }],
        },
        config,
      ),
      createDurableEventsMixin<SpaceEvents>(SPACE_EVENTS, {
        // An event left in an outbox may be one whose request failed, or died, between storing
        // its change and stamping the catalogue: stamp before publishing what is left, so the
        // change reaches every instance's snapshot (within a relay round) however it failed.
        beforeRelaying: service => (service as SpacesThis).spacesChanged(),
      }),
    ],

    actions: {
      /**
       * Manager/admin: adds a space. Takes name, kind, location, capacity and optionally equipment,
       * description, timeZone (IANA, default TZ_DEFAULT), openingHours and rules; returns the space.
       */
      create: {
        visibility: "published",
        roles: MANAGERS,
        openapi: apiDocs.create,
        params: { ...spaceFields, $$strict: true },
        async handler(
          this: SpacesThis,
          ctx: Context<
            Required<Pick<SpaceInput, "name" | "kind" | "location" | "capacity">> & SpaceInput,
            AuthMeta & CreatedMeta
          >,
        ) {
          const p = ctx.params;
          const now = new Date().toISOString();
          const record: SpaceRecord = {
            // Made here, not by the store, so the space.created event stored with it can name it.
            _id: randomUUID(),
            name: p.name,
            kind: p.kind,
            location: p.location,
            siteKey: p.location.site.toLowerCase(),
            capacity: p.capacity,
            equipment: p.equipment ?? [],
            description: p.description ?? "",
            timeZone: p.timeZone ?? config.defaultTimeZone,
            openingHours: p.openingHours ?? DEFAULT_OPENING_HOURS,
            rules: p.rules ?? DEFAULT_RULES,
            active: true,
            createdAt: now,
            updatedAt: now,
          };
          assertConsistent(record);
          const space = toPublicSpace(record);
          const by = requireUser(ctx).id;
          const created = this.stageEvent(SpaceEvent.CREATED, { space, by });
          await this.adapter.insert({ ...record, ...outboxOf(created) });
          await this.spacesChanged();
          await this.flushOutbox(record._id, [created]);
          this.logger.info("Space created", { spaceId: space.id, by });
          answerCreated(ctx.meta, "spaces", space.id);
          return space;
        },
      },

      /**
       * Internal (not routed), for reservations: one space as `get` shows it, with the site its
       * reservations are keyed by (`siteGroupOf`), which clients have no use for.
       */
      forBooking: {
        visibility: "public",
        retryPolicy: { enabled: true },
        params: { id: idParam, $$strict: true },
        async handler(this: SpacesThis, ctx: Context<{ id: string }>) {
          const space = (await this.snapshot.read()).byId.get(ctx.params.id);
          if (!space) return fail(ErrorType.SPACE_NOT_FOUND);
          return { ...toPublicSpace(space), siteGroup: siteGroupOf(space) };
        },
      },

      /** One space by id; inactive spaces too, so old reservations can still show theirs. */
      get: {
        visibility: "published",
        retryPolicy: { enabled: true },
        openapi: apiDocs.get,
        params: { id: idParam, $$strict: true },
        async handler(this: SpacesThis, ctx: Context<{ id: string }, AuthMeta>) {
          const space = (await this.snapshot.read()).byId.get(ctx.params.id);
          if (!space) return fail(ErrorType.SPACE_NOT_FOUND);
          return toPublicSpace(space);
        },
      },

      /** Manager/admin: changes any of the fields of `create`; returns the space. */
      update: {
        visibility: "published",
        roles: MANAGERS,
        openapi: apiDocs.update,
        params: {
          id: idParam,
          name: optional(spaceFields.name),
          kind: optional(spaceFields.kind),
          location: optional(spaceFields.location),
          capacity: optional(spaceFields.capacity),
          equipment: spaceFields.equipment,
          description: spaceFields.description,
          timeZone: spaceFields.timeZone,
          openingHours: spaceFields.openingHours,
          rules: spaceFields.rules,
          $$strict: true,
        },
        async handler(this: SpacesThis, ctx: Context<SpaceInput & { id: string }, AuthMeta>) {
          const { id, ...changes } = ctx.params;
          const current = await this.findSpace(id);
          const next = { ...current, ...changes };
          assertConsistent(next, current.timeZone);
          const set: Partial<SpaceRecord> = {
            ...changes,
            updatedAt: nextUpdatedAt(current.updatedAt),
          };
          if (changes.location) {
            set.siteKey = changes.location.site.toLowerCase();
            // Its first move fixes the site its reservations are keyed by (`siteGroupOf`).
            if (current.siteGroup === undefined && set.siteKey !== current.siteKey)
              set.siteGroup = current.siteKey;
          }
          const space = toPublicSpace({ ...current, ...set });
          const updated = this.stageEvent(SpaceEvent.UPDATED, { space, by: requireUser(ctx).id });
          await this.adapter.updateById(id, withEvent({ $set: set }, updated));
          await this.spacesChanged();
          await this.flushOutbox(current._id, [updated]);
          return space;
        },
      },

      /**
       * Manager/admin: takes a space out of use (spaces are never deleted; reservations keep
       * pointing at them). Refused while it has upcoming reservations, unless
       * `cancelReservations` is true: then those are cancelled too, each with its event.
       */
      deactivate: {
        visibility: "published",
        roles: MANAGERS,
        openapi: apiDocs.deactivate,
        params: {
          id: idParam,
          cancelReservations: { type: "boolean", convert: true, optional: true },
          $$strict: true,
        },
        async handler(
          this: SpacesThis,
          ctx: Context<{ id: string; cancelReservations?: boolean }, AuthMeta>,
        ) {
          const { id, cancelReservations = false } = ctx.params;
          const by = requireUser(ctx).id;
          const current = await this.findSpace(id);
          if (!current.active) return toPublicSpace(current);
          const upcoming = () =>
            ctx.call<number, { spaceId: string }>("reservations.countUpcoming", { spaceId: id });
          const refuse = (count: number) =>
            fail(ErrorType.SPACE_HAS_RESERVATIONS, { upcoming: count });
          if (!cancelReservations) {
            const count = await upcoming();
            if (count > 0) refuse(count);
          }
          const deactivatedAt = nextUpdatedAt(current.updatedAt);
          const space = toPublicSpace({ ...current, active: false, updatedAt: deactivatedAt });
          const deactivated = this.stageEvent(SpaceEvent.DEACTIVATED, { space, by });
          await this.adapter.updateById(
            id,
            withEvent({ $set: { active: false, updatedAt: deactivatedAt } }, deactivated),
          );
          await this.spacesChanged();
          await this.flushOutbox(current._id, [deactivated]);
          let cancelled = 0;
          if (cancelReservations) {
            // After the switch-off, so no new booking can slip in behind the sweep.
            ({ cancelled } = await ctx.call<{ cancelled: number }, { spaceId: string }>(
              "reservations.cancelUpcoming",
              { spaceId: id },
            ));
          } else {
            // A booking made between the count and the switch-off: put the space back, refuse.
            const count = await upcoming();
            if (count > 0) {
              const restored = this.stageEvent(SpaceEvent.UPDATED, {
                space: toPublicSpace({ ...current, updatedAt: nextUpdatedAt(deactivatedAt) }),
                by,
              });
              await this.adapter.updateById(
                id,
                withEvent(
                  { $set: { active: true, updatedAt: restored.data.space.updatedAt } },
                  restored,
                ),
              );
              await this.spacesChanged();
              await this.flushOutbox(current._id, [restored]);
              refuse(count);
            }
          }
          this.logger.info("Space deactivated", { spaceId: id, by, cancelled });
          return { ...space, cancelledReservations: cancelled };
        },
      },

      /**
       * What a search form can offer: the sites and the equipment tags of the active spaces,
       * each once (sites as first written, equipment as stored), sorted. Signed-in users only.
       */
      facets: {
        visibility: "published",
        retryPolicy: { enabled: true },
        openapi: apiDocs.facets,
        params: { $$strict: true },
        async handler(this: SpacesThis, ctx: Context<Record<string, never>, AuthMeta>) {
          requireUser(ctx);
          const { spaces } = await this.snapshot.read();
          return facetsOf(spaces.filter(space => space.active));
        },
      },

      /**
       * Searches active spaces by site, kind, minimum capacity and equipment (all of them),
       * closest fit in capacity first, a bounded page at a time. With `from` and `to`, each
       * result says whether it is `free` (open, within its rules and not booked for exactly that
       * time) and the free ones come first.
       */
      search: {
        visibility: "published",
        retryPolicy: { enabled: true },
        openapi: apiDocs.search,
        params: { ...searchParams, ...pageParams, $$strict: true },
        async handler(this: SpacesThis, ctx: Context<SearchParams, AuthMeta>) {
          const p = ctx.params;
          const query = searchQuery(p, requireUser(ctx));
          const matching = () =>
            this.snapshot
              .read()
              .then(snapshot => candidatesFor(snapshot, query).filter(s => matchesQuery(s, query)));
          if (p.from === undefined && p.to === undefined) {
            return pageOf(await matching(), p.page, p.pageSize, toPublicSpace);
          }
          if (p.from === undefined || p.to === undefined) {
            return failValidation(
              p.from === undefined ? "from" : "to",
              "required",
              "Give both 'from' and 'to' to search for free spaces.",
            );
          }
          const { from, to } = readWindow(
            { from: p.from, to: p.to },
            config.defaultTimeZone,
            SEARCH_WINDOW_DAYS,
          );
          // The snapshot is in SEARCH_ORDER already.
          const candidates = (await matching()).slice(0, MAX_RANKED_CANDIDATES);
          // Whether a space is free is the reservations' question: booked, and the booking rules.
          const availability = await askAvailability(ctx, {
            spaces: candidates.map(c => ({
              id: String(c._id),
              timeZone: c.timeZone,
              openingHours: c.openingHours,
              rules: c.rules,
              active: c.active,
              siteGroup: siteGroupOf(c),
            })),
            from: from.toISO(),
            to: to.toISO(),
          });
          return rankedPage(candidates, availability, p.page, p.pageSize);
        },
      },
    },

    created(this: SpacesThis) {
      this.snapshot = new SpaceSnapshot(snapshotStore(this.adapter, this.versions));
    },

    async started(this: SpacesThis) {
      if (config.demoSpaces) await seedDemoSpaces(this);
    },

    methods: {
      /** A space as stored now, for a change to it (reads answer from the snapshot instead). */
      async findSpace(this: SpacesThis, id: string) {
        const record = (await this.adapter.findById(id)) as SpaceRecord | null;
        if (!record) fail(ErrorType.SPACE_NOT_FOUND);
        return record;
      },

      spacesChanged(this: SpacesThis) {
        return stampVersion(this.versions);
      },
    },
  };
}

export default createSpacesService(loadConfig());
