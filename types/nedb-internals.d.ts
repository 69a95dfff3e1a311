/** The parts of NeDB's internals that mixins/nedb-index-update.ts uses (the package ships no types for them). */
declare module "@seald-io/nedb/lib/indexes" {
  const Index: { prototype: object };
  export default Index;
}
declare module "@seald-io/nedb/lib/model" {
  export function getDotValue(doc: object, field: string): unknown;
  export function compareThings(a: unknown, b: unknown): number;
  const model: { getDotValue: typeof getDotValue; compareThings: typeof compareThings };
  export default model;
}
