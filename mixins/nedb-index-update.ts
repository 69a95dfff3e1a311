/**
 * NeDB updates a document in every index of its collection by taking the old document out and
 * putting the new one in (`Index.update` in @seald-io/nedb), also where the indexed value did not
 * change. Taking it out filters the list of documents under that value into a new array, so
 * confirming one of a person's 200 reservations copied the person's list, and the space's: NeDB's
 * trees were 29 % of an embedded create at full size (BENCHMARKS.md). Where the value is the same
 * before and after, the new document now takes the old one's place in that list; a changed value
 * still goes through NeDB's own update, with its unique checks and its rollback.
 *
 * Applied once to NeDB's index class, which only the embedded store uses. NeDB runs one operation
 * at a time per collection (its executor), so nothing reads a list while it is changed.
 */
import Index from "@seald-io/nedb/lib/indexes";
import model from "@seald-io/nedb/lib/model";

type Doc = Record<string, unknown>;
interface Pair {
  oldDoc: Doc;
  newDoc: Doc;
}
interface NeDbIndex {
  fieldName: string;
  tree: { search(key: unknown): Doc[] };
  update(oldDoc: Doc | Pair[], newDoc?: Doc): void;
  updateMultipleDocs(pairs: Pair[]): void;
}

const proto = (Index as unknown as { prototype: NeDbIndex }).prototype;
const PATCHED = Symbol.for("mindspaces.nedb.updateInPlace");

/**
 * The document's value in this index when the update keeps it (a single, present value), or
 * undefined when the document moves: arrays index each element, and an absent value may be left
 * out (sparse), so those go NeDB's way.
 */
function keptKey(index: NeDbIndex, { oldDoc, newDoc }: Pair): unknown {
  const before = model.getDotValue(oldDoc, index.fieldName);
  const after = model.getDotValue(newDoc, index.fieldName);
  if (before === undefined || after === undefined) return undefined;
  if (Array.isArray(before) || Array.isArray(after)) return undefined;
  return model.compareThings(before, after) === 0 ? before : undefined;
}

if (!(proto as unknown as Record<symbol, boolean>)[PATCHED]) {
  const update = proto.update;
  const updateMultipleDocs = proto.updateMultipleDocs;

  /** Puts `newDoc` where `oldDoc` is, in the list of their value `key`. */
  const replace = (index: NeDbIndex, key: unknown, { oldDoc, newDoc }: Pair) => {
    // Looked up now, not earlier: NeDB's own update replaces a list it takes a document out of.
    const list = index.tree.search(key);
    const at = list.indexOf(oldDoc);
    if (at >= 0) list[at] = newDoc;
    else update.call(index, oldDoc, newDoc);
  };

  proto.updateMultipleDocs = function (this: NeDbIndex, pairs: Pair[]) {
    const kept: [unknown, Pair][] = [];
    const moved: Pair[] = [];
    for (const pair of pairs) {
      const key = keptKey(this, pair);
      if (key === undefined) moved.push(pair);
      else kept.push([key, pair]);
    }
    // NeDB's own update first: if it throws, it has rolled back, and nothing here has changed.
    if (moved.length > 0) updateMultipleDocs.call(this, moved);
    for (const [key, pair] of kept) replace(this, key, pair);
  };
  proto.update = function (this: NeDbIndex, oldDoc: Doc | Pair[], newDoc?: Doc) {
    if (Array.isArray(oldDoc) || !newDoc) return update.call(this, oldDoc, newDoc);
    const key = keptKey(this, { oldDoc, newDoc });
    if (key === undefined) update.call(this, oldDoc, newDoc);
    else replace(this, key, { oldDoc, newDoc });
  };
  (proto as unknown as Record<symbol, boolean>)[PATCHED] = true;
}
