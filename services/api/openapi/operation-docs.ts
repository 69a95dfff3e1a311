/**
 * What a routed action declares for the API document (its `openapi` key, typed in
 * types/moleculer.d.ts), beyond what the document reads from the action itself: `params`
 * (the request), `auth` and `roles` (security). It crosses the broker with the action's
 * definition, so it holds plain data only.
 */
import type { ErrorTypeName } from "../../../lib/errors";
import type { SchemaName } from "./components";

export interface OperationDocs {
  /** One line for the list of operations. */
  summary: string;
  /** More for the reader: what it takes, returns and refuses, when the summary is not enough. */
  description?: string;
  response: {
    /** 200 unless given. */
    status?: 200 | 201;
    /** The JSON body: a schema under `components.schemas`. */
    schema?: SchemaName;
    /** Instead of JSON, a body of this media type (a calendar file): what it holds. */
    text?: { mediaType: string; description: string };
    description: string;
    /** When set, the action also answers `text/csv` to a request that accepts it: its columns. */
    csv?: string;
    /** Sent as a download (`Content-Disposition: attachment`). */
    attachment?: boolean;
    /** Response headers it may send, besides Content-Disposition: name → meaning. */
    headers?: Readonly<Record<string, string>>;
    /** Other statuses that carry the same body (health's 503): status → when. */
    alsoWith?: Readonly<Record<number, string>>;
  };
  /** Request headers the action reads, besides Authorization and Accept-Language. */
  requestHeaders?: Readonly<Record<string, { description: string; pattern?: string }>>;
  /**
   * The error types the action itself raises. The gateway's own (validation, sign-in, roles,
   * rate limit, unavailable service) are added from the route and the action's auth metadata.
   */
  errors?: readonly ErrorTypeName[];
}
