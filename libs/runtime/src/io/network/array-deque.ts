/**
 * A FIFO queue on a growable ring buffer: O(1) `push`/`shift` without the O(n) cost of
 * `Array.prototype.shift`. Used for the buffer queues of subpartitions and the queue of input
 * channels with data. Not exported from the package.
 */
export class ArrayDeque<T> {
  private items: (T | undefined)[];
  private head = 0;
  private tail = 0;
  private mask: number;

  /** `initialCapacity` is rounded up to a power of two (at least 4). */
  constructor(initialCapacity = 8) {
    let capacity = 4;
    while (capacity < initialCapacity) capacity *= 2;
    this.items = new Array<T | undefined>(capacity).fill(undefined);
    this.mask = capacity - 1;
  }

  get size(): number {
    return (this.tail - this.head) & this.mask;
  }

  isEmpty(): boolean {
    return this.head === this.tail;
  }

  push(item: T): void {
    this.items[this.tail] = item;
    this.tail = (this.tail + 1) & this.mask;
    if (this.tail === this.head) this.grow();
  }

  /** Removes and returns the first element, or undefined when empty. */
  shift(): T | undefined {
    if (this.head === this.tail) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) & this.mask;
    return item;
  }

  /** The first element without removing it, or undefined when empty. */
  peek(): T | undefined {
    return this.head === this.tail ? undefined : this.items[this.head];
  }

  clear(): void {
    this.items.fill(undefined);
    this.head = 0;
    this.tail = 0;
  }

  /** Called when the ring is completely full (head caught up by tail): doubles the capacity. */
  private grow(): void {
    const old = this.items;
    const capacity = old.length;
    const grown = new Array<T | undefined>(capacity * 2).fill(undefined);
    for (let i = 0; i < capacity; i++) grown[i] = old[(this.head + i) & this.mask];
    this.items = grown;
    this.head = 0;
    this.tail = capacity;
    this.mask = capacity * 2 - 1;
  }
}
