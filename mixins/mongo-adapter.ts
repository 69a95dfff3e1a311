/**
 * moleculer-db's MongoDB adapter on a current driver. moleculer-db-adapter-mongo 0.5 (its newest
 * release) was written for driver 3.x; package.json forces its `mongodb` to ours. Its queries
 * (find, count, sort, skip, limit, updateMany, removeMany) work unchanged on the current driver;
 * what the driver removed or changed is replaced here, and only that:
 *
 * - `Db` is no longer an event emitter: connection state comes from the client's topology events.
 * - insertOne/insertMany no longer return the written documents (`ops`).
 * - findOneAndUpdate takes `returnDocument`, and like findOneAndDelete returns the document
 *   itself, not `{ value }`.
 * - `ObjectID` is gone (it is `ObjectId`), so the library's id conversion threw on every string id.
 */
import LibraryAdapter from "moleculer-db-adapter-mongo";
import type { Service } from "moleculer";
import type { DbAdapter } from "moleculer-db";
import {
  MongoClient,
  ObjectId,
  type Collection,
  type Db,
  type Document,
  type MongoClientOptions,
  type TopologyDescriptionChangedEvent,
  type WithId,
} from "mongodb";

type Id = string | number | ObjectId;

/** A stored record: ids are ObjectIds the store made, or strings and numbers the services chose. */
interface StoredDocument extends Document {
  _id?: Id;
}

/** What this subclass replaces (as methods, for `override`) and the library's state it uses. */
type Replaced = "connect" | "disconnect" | "insert" | "insertMany" | "updateById" | "removeById";
interface LibraryAdapterShape extends Omit<DbAdapter, Replaced> {
  uri: string;
  opts: MongoClientOptions;
  dbName?: string;
  service: { schema: { collection: string }; logger: Service["logger"] };
  client?: MongoClient;
  db?: Db;
  collection: Collection<StoredDocument>;
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  insert(entity: object): Promise<object>;
  insertMany(entities: object[]): Promise<object[]>;
  // A lookup by id finds null when there is no such record (moleculer-db answers 404).
  updateById(id: Id, update: object): Promise<object | null>;
  removeById(id: Id): Promise<object | null>;
  stringToObjectID(id: unknown): unknown;
}

/**
 * The library's class typed as its code is, not as its declarations say (they have `insert`
 * resolve to an array).
 */
const Library = LibraryAdapter as unknown as new (
  uri: string,
  opts: MongoClientOptions,
  dbName?: string,
) => LibraryAdapterShape;

export class MongoAdapter extends Library {
  constructor(uri: string, options: MongoClientOptions = {}) {
    super(uri, options);
  }

  override async connect(): Promise<void> {
    // A failed connect closes what it opened, so moleculer-db's retries leave nothing running.
    const client = await new MongoClient(this.uri, this.opts).connect();
    this.client = client;
    this.db = client.db(this.dbName);
    this.collection = this.db.collection<StoredDocument>(this.service.schema.collection);

    const logger = this.service.logger;
    logger.info("MongoDB adapter has connected successfully.");
    // The driver keeps trying on its own; these only say when the database went and came back.
    client.on("topologyDescriptionChanged", (event: TopologyDescriptionChangedEvent) => {
      const before = event.previousDescription.hasDataBearingServers;
      const now = event.newDescription.hasDataBearingServers;
      if (before && !now) logger.warn("MongoDB adapter has lost its database server.");
      if (!before && now) logger.info("MongoDB adapter has reconnected.");
    });
    // An emitter's 'error' without a listener ends the process.
    client.on("error", err => logger.error("MongoDB error.", err));
  }

  override async disconnect(): Promise<void> {
    // The library closed without waiting: a stopped service could leave its sockets behind.
    await this.client?.close();
  }

  override async insert(entity: object): Promise<WithId<StoredDocument>> {
    const { insertedId } = await this.collection.insertOne(entity);
    return { ...entity, _id: insertedId };
  }

  override async insertMany(entities: object[]): Promise<WithId<StoredDocument>[]> {
    const { insertedIds } = await this.collection.insertMany(entities);
    return entities.map((entity, i) => ({ ...entity, _id: insertedIds[i] }));
  }

  override updateById(id: Id, update: object): Promise<WithId<StoredDocument> | null> {
    return this.collection.findOneAndUpdate({ _id: this.stringToObjectID(id) }, update, {
      returnDocument: "after",
    });
  }

  override removeById(id: Id): Promise<WithId<StoredDocument> | null> {
    return this.collection.findOneAndDelete({ _id: this.stringToObjectID(id) });
  }

  /**
   * A 24-digit hex string becomes the ObjectId it spells; any other id is used as it is. Every
   * inherited lookup by id (findById, findByIds, the idField transform) goes through here.
   */
  override stringToObjectID(id: Id): Id {
    return typeof id === "string" && ObjectId.isValid(id) ? ObjectId.createFromHexString(id) : id;
  }
}
