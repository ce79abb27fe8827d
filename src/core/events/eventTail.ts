import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { atoEventSchema, eventLogFileName, type AtoEvent, type ReadEventsResult } from './eventLog';

/**
 * Which file: its inode and its first bytes. The inode alone is not enough: a rotation unlinks the oldest
 * file and creates a new live one, and file systems reuse a freed inode at once.
 */
interface FileIdentity {
  readonly ino: number;
  readonly head: string;
}

interface Position {
  /** The live file when last read (undefined: there was no file). */
  readonly identity: FileIdentity | undefined;
  readonly offset: number;
}

const headBytes = 256;

function sameFile(a: FileIdentity, b: FileIdentity): boolean {
  const length = Math.min(a.head.length, b.head.length);
  return a.ino === b.ino && a.head.slice(0, length) === b.head.slice(0, length);
}

/**
 * Follows the live event log as it grows (`ato events --follow`): the first `read()` returns the events in
 * it, each later one the whole events appended since. A rotation (events.ndjson renamed to events.1.ndjson, a fresh one begun)
 * is seen by the inode: the rest of the old file is read first, then the new one from its start, so no
 * event is lost or repeated. A line still being written waits for its newline.
 */
export class EventTail {
  private position: Position = { identity: undefined, offset: 0 };
  private partial: Buffer = Buffer.alloc(0);

  /** `maxFiles`: how many files the log keeps, the live one included (the `eventLog.maxFiles` setting). */
  constructor(private readonly directory: string, private readonly maxFiles: number) {}

  private get live(): string {
    return join(this.directory, eventLogFileName);
  }

  async read(): Promise<ReadEventsResult> {
    const stats = await statOf(this.live);
    const chunks: Buffer[] = [this.partial];
    const { identity, offset } = this.position;
    if (stats === undefined) {
      this.position = { identity: undefined, offset: 0 };
      return { events: [], skipped: 0 };
    }
    const current = await identify(this.live, stats.ino);
    let from = offset;
    if (identity !== undefined && !sameFile(identity, current)) {
      // Rotated once or more since the last read: the rest of the file read last (wherever it went, if it
      // is still kept), then each newer rotated file whole, then the live one from its start.
      const rotated = await Promise.all(Array.from({ length: Math.max(0, this.maxFiles - 1) }, async (_, index) => {
        const file = join(this.directory, `events.${String(index + 1)}.ndjson`);
        const fileStats = await statOf(file);
        return { file, size: fileStats?.size, identity: fileStats === undefined ? undefined : await identify(file, fileStats.ino) };
      }));
      const last = rotated.findIndex(entry => entry.identity !== undefined && sameFile(entry.identity, identity));
      for (let index = last === -1 ? rotated.length - 1 : last; index >= 0; index--) {
        const entry = rotated[index];
        if (entry?.size === undefined) continue;
        const start = index === last ? offset : 0;
        if (entry.size > start) chunks.push(await readRange(entry.file, start, entry.size));
      }
      from = 0;
    } else if (stats.size < offset) {
      from = 0;
    }
    if (stats.size > from) chunks.push(await readRange(this.live, from, stats.size));
    this.position = { identity: current, offset: stats.size };
    const bytes = Buffer.concat(chunks);
    const end = bytes.lastIndexOf(0x0a);
    this.partial = bytes.subarray(end + 1);
    const events: AtoEvent[] = [];
    let skipped = 0;
    for (const line of bytes.subarray(0, end + 1).toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      const parsed = atoEventSchema.safeParse(parseJson(line));
      if (parsed.success) events.push(parsed.data);
      else skipped++;
    }
    return { events, skipped };
  }
}

async function statOf(file: string): Promise<{ ino: number; size: number } | undefined> {
  try {
    const stats = await stat(file);
    return { ino: stats.ino, size: stats.size };
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
    throw error;
  }
}

async function identify(file: string, ino: number): Promise<FileIdentity> {
  return { ino, head: (await readRange(file, 0, headBytes)).toString('latin1') };
}

async function readRange(file: string, start: number, end: number): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(end - start);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, start);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return undefined;
  }
}
