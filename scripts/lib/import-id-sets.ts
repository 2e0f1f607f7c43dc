// Memory-lean sets for the importer's checks over tens of millions of rows. Catalog ids are dense
// (1..n), so a bitmap indexed by id costs one bit per possible id: 11.3M sku ids fit in 1.4 MB where
// a Set<number> would take hundreds. Ids past DENSE_LIMIT, which only a broken row would carry, go to
// an ordinary Set instead of stretching the bitmap.
const DENSE_LIMIT = 2 ** 28; // bitmap at most 32 MB

function grown<T extends Uint8Array | Uint32Array>(a: T, need: number, make: (n: number) => T): T {
  if (need <= a.length) return a;
  const b = make(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

export class IdSet {
  private bits = new Uint8Array(1024);
  private sparse = new Set<number>();
  size = 0;

  has(id: number): boolean {
    if (id >= DENSE_LIMIT) return this.sparse.has(id);
    const byte = id >>> 3;
    return byte < this.bits.length && (this.bits[byte]! & (1 << (id & 7))) !== 0;
  }

  /** Adds `id`; false when it was already there. */
  add(id: number): boolean {
    if (this.has(id)) return false;
    if (id >= DENSE_LIMIT) this.sparse.add(id);
    else {
      this.bits = grown(this.bits, (id >>> 3) + 1, (n) => new Uint8Array(n));
      this.bits[id >>> 3]! |= 1 << (id & 7);
    }
    this.size++;
    return true;
  }
}

/** Next position per product for related links: the order of appearance in the file, from 0. */
export class PositionCounter {
  private dense = new Uint32Array(1024);
  private sparse = new Map<number, number>();

  next(id: number): number {
    if (id >= DENSE_LIMIT) {
      const n = this.sparse.get(id) ?? 0;
      this.sparse.set(id, n + 1);
      return n;
    }
    this.dense = grown(this.dense, id + 1, (n) => new Uint32Array(n));
    return this.dense[id]!++;
  }
}

/**
 * Set of (a, b) id pairs by open addressing over two parallel Uint32Arrays: 4.5M related links take
 * 64 MB here, against ~400 MB as "a:b" strings in a Set. Slot value 0 means empty (ids start at 1).
 */
export class PairSet {
  private a = new Uint32Array(1 << 16);
  private b = new Uint32Array(1 << 16);
  private sparse = new Set<string>();
  private used = 0;

  /** Adds the pair; false when it was already there. */
  add(x: number, y: number): boolean {
    if (x > 0xffffffff || y > 0xffffffff || x < 1 || y < 1) {
      const key = `${x}:${y}`;
      if (this.sparse.has(key)) return false;
      this.sparse.add(key);
      return true;
    }
    const mask = this.a.length - 1;
    // murmur3's finaliser over both ids: links of neighbouring products land far apart.
    let h = Math.imul(x, 0x9e3779b1) ^ y;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    let i = (h ^ (h >>> 16)) >>> 0;
    for (i &= mask; this.a[i] !== 0; i = (i + 1) & mask) {
      if (this.a[i] === x && this.b[i] === y) return false;
    }
    this.a[i] = x;
    this.b[i] = y;
    if (++this.used * 2 > this.a.length) this.rehash();
    return true;
  }

  private rehash() {
    const [oa, ob] = [this.a, this.b];
    this.a = new Uint32Array(oa.length * 2);
    this.b = new Uint32Array(ob.length * 2);
    this.used = 0;
    for (let i = 0; i < oa.length; i++) if (oa[i] !== 0) this.add(oa[i]!, ob[i]!);
  }
}
