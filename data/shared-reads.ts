import type { CacheEpochsTable } from "./schema/core.js";
import { readOnce, type UnitOfWork } from "./unit-of-work.js";

/** A group of rarely changed tables with a counter of its own (cache_epochs). */
export type EpochName = CacheEpochsTable["name"];

/** The counters as one update read them when it began; a group missing here is read afresh. */
export type Epochs = Partial<Record<EpochName, number>>;

/** What one update reads through: the bot's kept values of the epochs it began with. */
export interface PinnedReads {
  read<T>(group: EpochName, key: string, load: () => Promise<T>): Promise<T>;
}

interface Kept {
  epoch: number;
  values: Map<string, Promise<unknown>>;
}

/**
 * Reads of the settings and of the clinic directory that one bot keeps across updates: each update reads the
 * groups' counters with its first statement, and a kept value serves it while its group's counter is the one kept.
 * Any write to a group's tables raises its counter (a trigger, in the writer's transaction), so the first update
 * that began after the write reads afresh. An update that began before a newer counter was seen reads afresh and
 * keeps nothing. Kept values are frozen: they are shared by every update, none may change them.
 */
export class SharedReads {
  readonly #kept = new Map<EpochName, Kept>();

  constructor(private readonly maxPerGroup = 5_000) {}

  /** The view of an update that began with these counters. */
  at(epochs: Epochs): PinnedReads {
    return { read: (group, key, load) => this.#read(epochs[group], group, key, load) };
  }

  #read<T>(epoch: number | undefined, group: EpochName, key: string, load: () => Promise<T>): Promise<T> {
    if (epoch === undefined) return load();
    let kept = this.#kept.get(group);
    if (!kept || kept.epoch < epoch) {
      kept = { epoch, values: new Map() };
      this.#kept.set(group, kept);
    } else if (kept.epoch > epoch) return load();
    const hit = kept.values.get(key);
    if (hit) return hit as Promise<T>;
    const values = kept.values;
    const value = load().then(deepFreeze);
    // A failed read is not kept: the next caller tries again.
    value.catch(() => {
      if (values.get(key) === value) values.delete(key);
    });
    if (values.size >= this.maxPerGroup) values.delete(values.keys().next().value as string);
    values.set(key, value);
    return value;
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * A value of a rarely changed group: kept by the bot while the group's counter stays (see SharedReads), else read
 * once per update (scripts and workers: once per call).
 */
export function readShared<T>(
  store: { uow?: UnitOfWork; reads?: PinnedReads },
  group: EpochName,
  key: string,
  load: () => Promise<T>,
): Promise<T> {
  return store.reads ? store.reads.read(group, key, load) : readOnce(store.uow, key, load);
}
