/**
 * Work that takes turns per key within this process: a second call with a key whose work is
 * still running waits until it has finished (however it ended), then runs. Different keys run
 * at once. Not a lock between processes: what must hold across instances still needs the store
 * (a unique index), this only spares the work a loser would do in vain.
 */
export type KeyedTurns = <T>(key: string, work: () => Promise<T>) => Promise<T>;

export function createKeyedTurns(): KeyedTurns {
  const last = new Map<string, Promise<unknown>>();
  return async (key, work) => {
    const before = last.get(key);
    const mine = (before ? before.then(settled, settled) : Promise.resolve()).then(work);
    last.set(key, mine);
    try {
      return await mine;
    } finally {
      // Only the last in line clears the key, so the map holds keys with work in flight only.
      if (last.get(key) === mine) last.delete(key);
    }
  };
}

function settled(): void {}
