/**
 * How an action answers "created": 201 and the new resource's address in `Location`, which
 * clients can follow and which moleculer-web expects with every 201 (it logs a warning for
 * each one without it).
 */
export interface CreatedMeta {
  $statusCode?: number;
  $location?: string;
}

/** `path` is the resource's path under the gateway's `/api`, e.g. `reservations/<id>`. */
export function answerCreated(meta: CreatedMeta, ...path: string[]): void {
  meta.$statusCode = 201;
  meta.$location = `/api/${path.map(encodeURIComponent).join("/")}`;
}
