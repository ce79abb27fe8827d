import { mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod/mini';
import '../../shared/zod';
import { describeError, type Redactor } from '../logging/redactor';

/** One line of the event log. `kind` is dotted (`planning.initialized`); the rest is the event's data. */
export const atoEventSchema = z.looseObject({
  v: z.literal(1),
  time: z.iso.datetime(),
  kind: z.string().check(z.minLength(1)),
});
export type AtoEvent = z.infer<typeof atoEventSchema>;

export type EventInput = { readonly kind: string } & Readonly<Record<string, unknown>>;

export interface EventLogOptions {
  readonly directory: string;
  readonly maxFileBytes: number;
  /** How many files to keep, the live one included. */
  readonly maxFiles: number;
  readonly redactor: Redactor;
  readonly now?: () => Date;
}

export const eventLogFileName = 'events.ndjson';

/**
 * Append-only NDJSON record of everything ATO decides and does. Each batch of events is one append of
 * whole lines (O_APPEND), so a crash leaves at worst a truncated last line: the next append starts on a
 * fresh line after it, and readers skip it. When the live
 * file passes `maxFileBytes` it is rotated: events.ndjson → events.1.ndjson → … and the oldest is dropped.
 * Appends are serialised so events keep their order even when callers do not await.
 * A batch larger than `maxFileBytes` is written whole to a fresh file: lines are never split.
 */
export class EventLog {
  private size: number | undefined;
  private readonly now: () => Date;
  /** Lines waiting for the next write, with the callers to settle when it lands. */
  private batch: { lines: string[]; settle: ((error: Error | undefined) => void)[] } = { lines: [], settle: [] };
  private draining: Promise<void> | undefined;

  constructor(private readonly options: EventLogOptions) {
    this.now = options.now ?? (() => new Date());
  }

  get file(): string {
    return join(this.options.directory, eventLogFileName);
  }

  /**
   * Resolves when the event is on disk. Events appended while a write is in flight are written together
   * in the next single append (still whole lines, in order), so bursts cost one write, not one each.
   */
  append(event: EventInput): Promise<void> {
    const record = this.options.redactor.redactValue({ v: 1, time: this.now().toISOString(), ...event });
    const line = `${JSON.stringify(record)}\n`;
    return new Promise<void>((resolve, reject) => {
      this.batch.lines.push(line);
      this.batch.settle.push(error => {
        if (error === undefined) resolve();
        else reject(error);
      });
      this.draining ??= this.drain();
    });
  }

  /** Waits for every append issued so far. */
  async flush(): Promise<void> {
    while (this.draining !== undefined) await this.draining;
  }

  private async drain(): Promise<void> {
    while (this.batch.lines.length > 0) {
      const { lines, settle } = this.batch;
      this.batch = { lines: [], settle: [] };
      let failure: Error | undefined;
      try {
        await this.write(lines.join(''));
      } catch (error) {
        failure = error instanceof Error ? error : new Error(`event log write failed: ${describeError(error)}`);
      }
      for (const done of settle) done(failure);
    }
    this.draining = undefined;
  }

  private async write(text: string): Promise<void> {
    const bytes = Buffer.byteLength(text);
    if (this.size === undefined) {
      await mkdir(this.options.directory, { recursive: true });
      this.size = await fileSize(this.file);
    }
    if (this.size > 0 && this.size + bytes > this.options.maxFileBytes) {
      await this.rotate();
      this.size = 0;
    }
    this.size += await appendOnFreshLine(this.file, text);
  }

  private async rotate(): Promise<void> {
    const { directory, maxFiles } = this.options;
    const rotated = (index: number): string => join(directory, index === 0 ? eventLogFileName : `events.${index}.ndjson`);
    if (maxFiles <= 1) {
      await unlink(this.file).catch(ignoreMissing);
      return;
    }
    await unlink(rotated(maxFiles - 1)).catch(ignoreMissing);
    for (let index = maxFiles - 2; index >= 0; index--) {
      await rename(rotated(index), rotated(index + 1)).catch(ignoreMissing);
    }
  }
}

export interface ReadEventsResult {
  readonly events: readonly AtoEvent[];
  /** Lines that were not valid events (a line cut short by a crash, or edited by hand). */
  readonly skipped: number;
}

/** Reads the live file and the rotated ones, oldest first. */
export function readEvents(directory: string, maxFiles: number): Promise<ReadEventsResult> {
  return readEventFiles(directory, maxFiles, 0);
}

/** Reads only the rotated files, oldest first (a follower reads the live one itself: eventTail.ts). */
export function readRotatedEvents(directory: string, maxFiles: number): Promise<ReadEventsResult> {
  return readEventFiles(directory, maxFiles, 1);
}

async function readEventFiles(directory: string, maxFiles: number, newest: number): Promise<ReadEventsResult> {
  const events: AtoEvent[] = [];
  let skipped = 0;
  for (let index = maxFiles - 1; index >= newest; index--) {
    const file = join(directory, index === 0 ? eventLogFileName : `events.${index}.ndjson`);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      ignoreMissing(error);
      continue;
    }
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      const parsed = atoEventSchema.safeParse(safeJson(line));
      if (parsed.success) events.push(parsed.data);
      else skipped++;
    }
  }
  return { events, skipped };
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Appends `text` (whole lines) to `file`. When the file's last byte is not a newline — a line torn by a
 * crash mid-append, in this process or another — a newline goes first, so the torn line stays alone (the
 * reader skips it) instead of swallowing the first new event. Returns the bytes written.
 */
async function appendOnFreshLine(file: string, text: string): Promise<number> {
  const handle = await open(file, 'a+', 0o600);
  try {
    const { size } = await handle.stat();
    let prefix = '';
    if (size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      if (last[0] !== 0x0a) prefix = '\n';
    }
    const data = prefix + text;
    // O_APPEND: each write lands at the end, whatever other processes appended meanwhile.
    await handle.appendFile(data, 'utf8');
    return Buffer.byteLength(data);
  } finally {
    await handle.close();
  }
}

async function fileSize(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch (error) {
    ignoreMissing(error);
    return 0;
  }
}

function ignoreMissing(error: unknown): void {
  if (!(error instanceof Error && 'code' in error && error.code === 'ENOENT')) throw error;
}
