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

/** Whether the document stays under the same value of this index (a single, present value). */
function keepsItsKey(index: NeDbIndex, pair: Pair): boolean {
  const before = model.getDotValue(pair.oldDoc, index.fieldName);
  const after = model.getDotValue(pair.newDoc, index.fieldName);
  // Arrays index each element, and an absent value may be left out (sparse): NeDB's way.
  if (before === undefined || after === undefined) return false;
  if (Array.isArray(before) || Array.isArray(after)) return false;
  return model.compareThings(before, after) === 0;
}

if (!(proto as unknown as Record<symbol, boolean>)[PATCHED]) {
  const update = proto.update;
  const updateMultipleDocs = proto.updateMultipleDocs;

  /** Puts `newDoc` where `oldDoc` is, in the list of their (equal) value. */
  const replace = (index: NeDbIndex, { oldDoc, newDoc }: Pair) => {
    // Looked up now, not earlier: NeDB's own update replaces a list it takes a document out of.
    const list = index.tree.search(model.getDotValue(oldDoc, index.fieldName));
    const at = list.indexOf(oldDoc);
    if (at >= 0) list[at] = newDoc;
    else update.call(index, oldDoc, newDoc);
  };

  proto.updateMultipleDocs = function (this: NeDbIndex, pairs: Pair[]) {
    const kept = pairs.filter(pair => keepsItsKey(this, pair));
    const moved = pairs.filter(pair => !kept.includes(pair));
    // NeDB's own update first: if it throws, it has rolled back, and nothing here has changed.
    if (moved.length > 0) updateMultipleDocs.call(this, moved);
    for (const pair of kept) replace(this, pair);
  };
  proto.update = function (this: NeDbIndex, oldDoc: Doc | Pair[], newDoc?: Doc) {
    if (Array.isArray(oldDoc) || !newDoc) return update.call(this, oldDoc, newDoc);
    if (keepsItsKey(this, { oldDoc, newDoc })) replace(this, { oldDoc, newDoc });
    else update.call(this, oldDoc, newDoc);
  };
  (proto as unknown as Record<symbol, boolean>)[PATCHED] = true;
}
