/** A cached 200 answer: what a 304 stands for. */
export interface CachedResponse {
  readonly etag: string;
  readonly body: string;
  /** The headers worth replaying (content type, pagination links). */
  readonly headers: Readonly<Record<string, string>>;
}

export interface EtagCacheOptions {
  /** Default 500 entries. */
  readonly maxEntries?: number;
  /** Total body bytes kept (UTF-16 length as a cheap proxy); default 32 MB. */
  readonly maxBytes?: number;
  /** A body larger than this is not cached at all; default 2 MB. */
  readonly maxEntryBytes?: number;
}

/**
 * In-memory LRU of GET answers keyed by URL (and accept header), so that polled reads can be sent with
 * `If-None-Match` and a 304 (free of rate-limit points) can be answered from memory. Bounded by entry
 * count and total size; the least recently used entry goes first.
 */
export class EtagCache {
  private readonly entries = new Map<string, CachedResponse>();
  private bytes = 0;
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private readonly maxEntryBytes: number;

  constructor(options: EtagCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 500;
    this.maxBytes = options.maxBytes ?? 32 * 1024 * 1024;
    this.maxEntryBytes = Math.min(options.maxEntryBytes ?? 2 * 1024 * 1024, this.maxBytes);
  }

  get size(): number {
    return this.entries.size;
  }

  get totalBytes(): number {
    return this.bytes;
  }

  /** The entry for `key`, marked as most recently used. */
  get(key: string): CachedResponse | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  set(key: string, entry: CachedResponse): void {
    this.delete(key);
    const size = sizeOf(entry);
    if (size > this.maxEntryBytes || this.maxEntries <= 0) return;
    this.entries.set(key, entry);
    this.bytes += size;
    while (this.entries.size > this.maxEntries || this.bytes > this.maxBytes) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true) break;
      this.delete(oldest.value);
    }
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.entries.delete(key);
    this.bytes -= sizeOf(entry);
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }
}

function sizeOf(entry: CachedResponse): number {
  let size = entry.body.length + entry.etag.length;
  for (const [name, value] of Object.entries(entry.headers)) size += name.length + value.length;
  return size;
}
