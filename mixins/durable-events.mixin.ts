/**
 * Durable events with a transactional outbox, for services whose records change through
 * moleculer-db (this.adapter).
 *
 * An event is written into the changed record itself (`outbox`, `outboxIds`, `outboxSince`) by
 * the same single-document write that makes the change, so the change and its event are stored
 * together or not at all. Then it is published (lib/channels/: JetStream, or in-process) and removed
 * from the outbox. If the publish fails or the process dies first, a relay publishes what is
 * left later. Events are therefore delivered at least once; every event carries an `eventId`
 * (a UUID made once), so consumers act once per id (lib/events/envelope.ts). What a service
 * publishes is its contract in lib/events/.
 *
 * JetStream refuses a publish to a subject no stream covers, so the publisher makes sure the
 * stream exists before its first publish instead of relying on a consumer having started first.
 */
import { randomUUID } from "node:crypto";
import type { Service, ServiceBroker, ServiceSchema } from "moleculer";
import type { DbAdapter } from "moleculer-db";
import type { IndexSpec } from "./db.mixin";
import { runEvery } from "../lib/periodic";
import { findMany } from "../lib/store";
import { listsInstanceWithout, type UpgradePasses } from "../lib/upgrade-passes";
import { withLock } from "../lib/store-lock";
import type { EnvelopeOf, EventEnvelope } from "../lib/events/envelope";

/**
 * The fields a record carries while it has events not yet published. Events are keyed by id
 * and listed by id, because removing one by a scalar value is what every store we support
 * (NeDB, MongoDB, FerretDB) does alike; matching array elements by a sub-query is not.
 */
export interface OutboxFields {
  outbox?: Record<string, EventEnvelope>;
  outboxIds?: string[];
  outboxSince?: string;
  /**
   * Set while the outbox holds events, so the relay finds them by equality: FerretDB lets
   * PostgreSQL filter only that, and checks a range such as `outboxSince` itself after fetching
   * every record of the collection.
   */
  outboxPending?: true;
}

interface ChannelAdapter {
  addPrefixTopic(name: string): string;
  createStream?(name: string, subjects: string[], options: object): Promise<unknown>;
}

type ChannelBroker = ServiceBroker & {
  channelAdapter?: ChannelAdapter;
  sendToChannel(name: string, payload: unknown, opts?: object): Promise<void>;
};

/**
 * The indexes the relay reads through, for the collection whose records carry the outbox. On
 * MongoDB the relay asks by `outboxPending` too: FerretDB hands PostgreSQL only that equality, and
 * without an index on it PostgreSQL scanned the whole collection every 15 seconds. NeDB keeps one
 * list per indexed value, rewritten on every write to any of its records, so there it stays
 * unindexed (db.mixin.ts).
 */
export const OUTBOX_INDEXES: IndexSpec[] = [
  { fields: { outboxSince: 1 }, sparse: true },
  { fields: { outboxPending: 1 }, sparse: true, only: "mongo" },
];

/** Events younger than this are left to the request that stored them. */
export const RELAY_AFTER_MS = 15_000;
const RELAY_INTERVAL_MS = 15_000;
const RELAY_BATCH = 100;
/**
 * The relay also looks for outboxes without `outboxPending`, those staged by a version before it,
 * in its first round and in this many rounds after it last saw an instance of such a version
 * (rolling upgrade): while one runs it relays them itself, as it asks by time alone. Asking
 * without the flag makes FerretDB fetch every record of the collection, which every 20th round
 * used to, forever.
 */
const RELAY_UNFLAGGED_ROUNDS_AFTER = 4;
/**
 * The start-up pass (lib/upgrade-passes.ts) that is the relay's first look for outboxes without
 * the flag: remembered once a first round found none, by a service that keeps start-up passes
 * and lists this one among those whose keys it writes. At 100,000 reservations on FerretDB that
 * look read every record, 20-30 s of FerretDB's CPU after every start of every instance.
 */
export const FLAGGED_OUTBOXES_PASS = "flaggedOutboxes";
/** The registry says which instances flag their outboxes by this entry of their metadata. */
const FLAGS_OUTBOXES = "flagsOutboxes";
const flagsOutboxes = (metadata: Record<string, unknown>) => metadata[FLAGS_OUTBOXES] === true;
/** The fields that go when the outbox is empty. */
const EMPTY_OUTBOX = { outbox: true, outboxIds: true, outboxSince: true, outboxPending: true };

/** The methods the mixin gives a service publishing the events of contract `E`. */
export interface DurableEventsMethods<E = Record<string, unknown>> {
  /** A new event, to be stored with the change (see `withEvent`) and then `flushOutbox`ed. */
  stageEvent<K extends keyof E & string>(type: K, data: E[K]): EnvelopeOf<E, K>;
  /**
   * Publishes events in order, stopping at the first that fails; returns the ids published.
   * Never throws. For a change that stores its event elsewhere until it is published.
   */
  publishEvents(events: EventEnvelope[]): Promise<string[]>;
  /** Publishes the record's staged events and removes them from its outbox. Never throws. */
  flushOutbox(id: unknown, events: EventEnvelope[]): Promise<void>;
  /** Publishes what earlier requests left in outboxes (called periodically). */
  relayOutbox(olderThanMs?: number): Promise<number>;
}

export interface DurableEventsOptions {
  /**
   * Relay a record's events only while holding its lock (lib/store-lock.ts), for services whose
   * changes write a record more than once under that lock: `locks` names the service property
   * holding the lock collection, `name` the lock of a record. A locked record is left to the
   * change holding it, and to the next round.
   */
  relayLock?: { locks: string; name(id: unknown): string };
  /**
   * Runs before the relay publishes the events it found left in outboxes, and only when it found
   * some; when it throws, the relay publishes nothing this round and finds them again next round.
   */
  beforeRelaying?: (service: Service) => Promise<void>;
}

/** The stream @moleculer/channels uses for a subject. */
export function streamNameOf(subject: string): string {
  return subject.split(".").join("_");
}

/** An update that also stages `event` in the record's outbox, in the same write. */
export function withEvent(
  update: { $set?: Record<string, unknown> } & Record<string, unknown>,
  event: EventEnvelope,
): Record<string, unknown> {
  return {
    ...update,
    $set: {
      ...update.$set,
      [`outbox.${event.eventId}`]: event,
      outboxSince: event.occurredAt,
      outboxPending: true,
    },
    $push: { outboxIds: event.eventId },
  };
}

/** Outbox fields for a record about to be inserted with its first event. */
export function outboxOf(event: EventEnvelope): Required<OutboxFields> {
  return {
    outbox: { [event.eventId]: event },
    outboxIds: [event.eventId],
    outboxSince: event.occurredAt,
    outboxPending: true,
  };
}

/** A record without its outbox fields, as clients may see it. */
export function withoutOutbox<T extends OutboxFields>(record: T): Omit<T, keyof OutboxFields> {
  const rest = { ...record };
  delete rest.outbox;
  delete rest.outboxIds;
  delete rest.outboxSince;
  delete rest.outboxPending;
  return rest;
}

/**
 * Removes the events `published` from the record's outbox. Usually the outbox holds exactly
 * those (the change that staged them publishes them at once), and one write empties it. Only
 * when another change staged an event meanwhile, or some were not published, are they removed
 * one by one, leaving the rest for its change or the relay.
 */
export async function removePublished(
  adapter: DbAdapter,
  id: unknown,
  published: string[],
): Promise<void> {
  if (published.length === 0) return;
  // Matches only an outbox listing exactly these ids in this order (equality of arrays, alike
  // on NeDB, MongoDB and FerretDB), so an event staged meanwhile is never removed unpublished.
  const emptied = await adapter.updateMany(
    { _id: id, outboxIds: published },
    { $unset: EMPTY_OUTBOX },
  );
  if (emptied > 0) return;
  for (const eventId of published) {
    await adapter.updateMany(
      { _id: id },
      { $unset: { [`outbox.${eventId}`]: true }, $pull: { outboxIds: eventId } },
    );
  }
  // Only when no other change staged an event meanwhile.
  await adapter.updateMany({ _id: id, outboxIds: { $size: 0 } }, { $unset: EMPTY_OUTBOX });
}

/** Durable events of contract `E`, whose names are `types`. */
export function createDurableEventsMixin<E>(
  types: readonly (keyof E & string)[],
  options: DurableEventsOptions = {},
): Partial<ServiceSchema> {
  const ensured = new WeakMap<ServiceBroker, Map<string, Promise<unknown>>>();

  function ensureStream(broker: ChannelBroker, type: string): Promise<unknown> {
    const adapter = broker.channelAdapter;
    if (!adapter?.createStream) return Promise.resolve();
    let streams = ensured.get(broker);
    if (!streams) ensured.set(broker, (streams = new Map()));
    let done = streams.get(type);
    if (!done) {
      const subject = adapter.addPrefixTopic(type);
      done = adapter.createStream(streamNameOf(subject), [subject], {});
      // A failed attempt is forgotten, so the next publish tries again.
      done.catch(() => streams.delete(type));
      streams.set(type, done);
    }
    return done;
  }

  type This = Service &
    DurableEventsMethods & {
      adapter: DbAdapter;
      stopRelay?: () => void;
      relayRounds?: number;
      /**
       * The last round in which an instance of an older version was listed; set at all when one
       * was since this instance started, and then the first round's look says nothing of what
       * that one staged in its last moments (after the look's `before` perhaps): not remembered.
       */
      olderSeenRound?: number;
      /** The service's start-up passes, when it keeps them (mixins/upgrade-passes.mixin.ts). */
      upgrades?: UpgradePasses;
    };

  return {
    metadata: { [FLAGS_OUTBOXES]: true },

    events: {
      // An older instance can join and leave between two rounds (15 s apart): the rounds after
      // count from here too, so what it staged unflagged is looked for.
      "$services.changed"(this: This) {
        if (listsInstanceWithout(this.broker, this.name, flagsOutboxes)) {
          this.olderSeenRound = this.relayRounds ?? 0;
        }
      },
    },

    methods: {
      stageEvent<K extends keyof E & string>(this: This, type: K, data: E[K]): EnvelopeOf<E, K> {
        if (!types.includes(type)) throw new Error(`'${type}' is not an event of ${this.name}`);
        return { eventId: randomUUID(), type, occurredAt: new Date().toISOString(), data };
      },

      async publishEvents(this: This, events: EventEnvelope[]) {
        const broker = this.broker as ChannelBroker;
        const published: string[] = [];
        for (const event of events) {
          try {
            await ensureStream(broker, event.type);
            await broker.sendToChannel(event.type, event);
          } catch (err) {
            // Stored with the change: the relay (or whoever completes the change) publishes it.
            this.logger.warn("Event not published yet; it is published again later", {
              type: event.type,
              eventId: event.eventId,
              error: (err as Error).message,
            });
            break;
          }
          published.push(event.eventId);
        }
        return published;
      },

      async flushOutbox(this: This, id: unknown, events: EventEnvelope[]) {
        await removePublished(this.adapter, id, await this.publishEvents(events));
      },

      async relayOutbox(this: This, olderThanMs = RELAY_AFTER_MS) {
        const before = new Date(Date.now() - olderThanMs).toISOString();
        const round = (this.relayRounds = (this.relayRounds ?? 0) + 1);
        if (listsInstanceWithout(this.broker, this.name, flagsOutboxes))
          this.olderSeenRound = round;
        const sinceOlder = round - (this.olderSeenRound ?? -Infinity);
        const firstLook = round === 1 && !(await this.upgrades?.isDone(FLAGGED_OUTBOXES_PASS));
        const unflaggedToo =
          firstLook || (sinceOlder >= 1 && sinceOlder <= RELAY_UNFLAGGED_ROUNDS_AFTER);
        const records = await findMany<{ _id: unknown } & OutboxFields>(this.adapter, {
          // Staged at most then: relayOutbox(0) must also see what was staged this millisecond.
          query: {
            ...(unflaggedToo ? {} : { outboxPending: true }),
            outboxSince: { $lte: before },
          },
          limit: RELAY_BATCH,
        });
        if (records.length > 0) await options.beforeRelaying?.(this);
        for (const record of records) {
          const events = (record.outboxIds ?? [])
            .map(id => record.outbox?.[id])
            .filter((event): event is EventEnvelope => event !== undefined);
          const publish = () => this.flushOutbox(record._id, events);
          const { relayLock } = options;
          if (!relayLock) await publish();
          else {
            const locks = (this as unknown as Record<string, DbAdapter>)[relayLock.locks];
            await withLock(locks, relayLock.name(record._id), publish, () => undefined, {
              waitMs: 0,
            });
          }
        }
        // Remembered only when the look found none left: one it found may fail to publish.
        // The next start looks again and finds it relayed.
        const noneLeft =
          records.length < RELAY_BATCH && records.every(record => record.outboxPending === true);
        if (firstLook && noneLeft && this.olderSeenRound === undefined) {
          await this.upgrades?.remember(FLAGGED_OUTBOXES_PASS);
        }
        return records.length;
      },
    },

    started(this: Service) {
      const self = this as This;
      self.stopRelay = runEvery(
        RELAY_INTERVAL_MS,
        () => self.relayOutbox(),
        err => self.logger.error("Outbox relay failed", err),
      );
    },

    stopped(this: Service) {
      (this as This).stopRelay?.();
    },
  };
}
