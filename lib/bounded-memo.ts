/**
 * Values worth remembering by a text key (a parsed instant, a date in words), bounded by emptying
 * the whole memo when it is full: the keys a server sees repeat a lot within a short time, so
 * this keeps the hot ones cheaply and memory small, without tracking which are recent.
 */
export class BoundedMemo<V> {
  private readonly values = new Map<string, V>();

  constructor(private readonly max: number) {}

  /** The value remembered for `key`, or what `make` gives, remembered (unless `make` throws). */
  get(key: string, make: () => V): V {
    const known = this.values.get(key);
    if (known !== undefined) return known;
    const value = make();
    if (this.values.size >= this.max) this.values.clear();
    this.values.set(key, value);
    return value;
  }
}
