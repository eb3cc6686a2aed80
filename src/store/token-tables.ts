// Token bookkeeping in memory: grants, codes, access and refresh tokens, device codes, each a Map
// keyed by the SHA-256 of the bearer value (or the grant id). Every change is reported through
// `onChange` so the store can journal it. Memory is bounded twice: at most `maxGrants` grants
// (the oldest is evicted with its codes and tokens) and, within a grant, the newest
// MAX_PAIRS_PER_GRANT token pairs (older rotated pairs are dropped).
import type { AccessTokenRecord, CodeRecord, DeviceCodeRecord, GrantRecord, RefreshTokenRecord } from './schema.js';

export interface TokenRecords {
  grants: GrantRecord;
  codes: CodeRecord;
  accessTokens: AccessTokenRecord;
  refreshTokens: RefreshTokenRecord;
  deviceCodes: DeviceCodeRecord;
}
export type Table = keyof TokenRecords;
/** Grants first: a snapshot replayed in this order rebuilds each grant before its tokens. */
export const TABLES: readonly Table[] = ['grants', 'codes', 'accessTokens', 'refreshTokens', 'deviceCodes'];

/** Rotated token pairs a grant keeps; older ones are dropped (answered like expired ones). */
export const MAX_PAIRS_PER_GRANT = 16;
/** A grant's code plus its newest pairs. */
const MAX_CHILDREN = 1 + 2 * MAX_PAIRS_PER_GRANT;

type AnyRecord = TokenRecords[Table];

export class TokenTables {
  private readonly maps: { [T in Table]: Map<string, TokenRecords[T]> } = {
    grants: new Map(),
    codes: new Map(),
    accessTokens: new Map(),
    refreshTokens: new Map(),
    deviceCodes: new Map(),
  };
  /**
   * Codes and tokens of each grant, oldest first, as flat [table, key, table, key, …] (no object
   * per child: this is per-token memory). May name records already purged.
   */
  private readonly children = new Map<string, string[]>();
  private evicting = false;

  /**
   * @param maxGrants live grants kept; beyond it the oldest grant goes first
   * @param onChange a record was put, changed or deleted (deleted: no longer in its table)
   * @param onFirstEviction called once, the first time the cap evicts a grant
   */
  constructor(
    readonly maxGrants: number,
    private readonly onChange: (table: Table, key: string) => void,
    private readonly onFirstEviction: () => void = () => undefined,
  ) {}

  get<T extends Table>(table: T, key: string): TokenRecords[T] | undefined {
    return this.maps[table].get(key);
  }

  size(table: Table): number {
    return this.maps[table].size;
  }

  keys(table: Table): IterableIterator<string> {
    return this.maps[table].keys();
  }

  values<T extends Table>(table: T): IterableIterator<TokenRecords[T]> {
    return this.maps[table].values();
  }

  entries<T extends Table>(table: T): IterableIterator<[string, TokenRecords[T]]> {
    return this.maps[table].entries();
  }

  put<T extends Table>(table: T, record: TokenRecords[T]): void {
    const map = this.maps[table];
    const { key } = record;
    const before = map.size;
    map.set(key, record);
    // One lookup instead of has + set: a replay puts hundreds of thousands of records.
    const isNew = map.size !== before;
    this.onChange(table, key);
    if (!isNew) return;
    if (table === 'grants') {
      this.children.set(key, []);
      if (map.size > this.maxGrants) this.evictOldestGrant();
    } else if ('grantId' in record) this.adopt(record.grantId, table, key);
  }

  /** Reports an in-place change of a record taken from `table`. */
  changed<T extends Table>(table: T, record: TokenRecords[T]): void {
    if (this.maps[table].get(record.key) === record) this.onChange(table, record.key);
  }

  delete(table: Table, key: string): boolean {
    if (!this.maps[table].delete(key)) return false;
    this.onChange(table, key);
    if (table === 'grants') {
      const list = this.children.get(key) ?? [];
      this.children.delete(key);
      for (let i = 0; i < list.length; i += 2) this.delete(list[i] as Table, list[i + 1]!);
    }
    return true;
  }

  /** Forgets everything (without reporting each record: the caller journals the reset as a whole). */
  clear(): void {
    for (const table of TABLES) this.maps[table].clear();
    this.children.clear();
  }

  private adopt(grantId: string, table: Table, key: string) {
    const list = this.children.get(grantId);
    if (!list) return;
    // concat makes an array of the exact length: push (and spread) reserve room for 16 more, about
    // 100 bytes per grant.
    const over = Math.max(0, list.length + 2 - 2 * MAX_CHILDREN);
    this.children.set(grantId, (over > 0 ? list.slice(over) : list).concat(table, key));
    for (let i = 0; i < over; i += 2) this.delete(list[i] as Table, list[i + 1]!);
  }

  private evictOldestGrant() {
    if (this.evicting) return;
    this.evicting = true;
    try {
      while (this.maps.grants.size > this.maxGrants) {
        const oldest = this.maps.grants.keys().next().value as string;
        this.delete('grants', oldest);
      }
    } finally {
      this.evicting = false;
    }
    if (!this.evictedOnce) {
      this.evictedOnce = true;
      this.onFirstEviction();
    }
  }
  private evictedOnce = false;
}

/** Records of `table` whose expiry has passed by `now`. */
export function isExpired(record: AnyRecord, now: number): boolean {
  return record.expiresAt < now;
}
