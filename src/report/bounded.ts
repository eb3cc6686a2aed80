// A Map that forgets its oldest keys beyond a size, so what a check remembers per client (codes,
// tokens, states seen) stays small however long the mock runs.
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly limit: number) {
    super();
  }

  override set(key: K, value: V): this {
    if (this.has(key)) this.delete(key);
    super.set(key, value);
    if (this.size > this.limit) this.delete(this.keys().next().value as K);
    return this;
  }
}

/** How many keys each check keeps per client. */
export const REMEMBERED = 128;

export const remember = <K, V>() => new BoundedMap<K, V>(REMEMBERED);
