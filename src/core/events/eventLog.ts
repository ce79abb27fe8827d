import { appendFile, mkdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod/mini';
import '../../shared/zod';
import type { Redactor } from '../logging/redactor';

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
 * Append-only NDJSON record of everything ATO decides and does. Each event is one `appendFile` of one
 * line (O_APPEND), so a crash leaves at worst a truncated last line, which readers skip. When the live
 * file passes `maxFileBytes` it is rotated: events.ndjson → events.1.ndjson → … and the oldest is dropped.
 * Appends are serialised so events keep their order even when callers do not await.
 */
export class EventLog {
  private queue: Promise<void> = Promise.resolve();
  private size: number | undefined;
  private readonly now: () => Date;

  constructor(private readonly options: EventLogOptions) {
    this.now = options.now ?? (() => new Date());
  }

  get file(): string {
    return join(this.options.directory, eventLogFileName);
  }

  /** Resolves when the event is on disk. Rejections are the caller's to report; the queue continues. */
  append(event: EventInput): Promise<void> {
    const record = this.options.redactor.redactValue({ v: 1, time: this.now().toISOString(), ...event });
    const line = `${JSON.stringify(record)}\n`;
    const write = this.queue.then(() => this.write(line));
    this.queue = write.catch(() => undefined);
    return write;
  }

  /** Waits for every append issued so far. */
  flush(): Promise<void> {
    return this.queue;
  }

  private async write(line: string): Promise<void> {
    const bytes = Buffer.byteLength(line);
    if (this.size === undefined) {
      await mkdir(this.options.directory, { recursive: true });
      this.size = await fileSize(this.file);
    }
    if (this.size > 0 && this.size + bytes > this.options.maxFileBytes) {
      await this.rotate();
      this.size = 0;
    }
    await appendFile(this.file, line, { encoding: 'utf8', mode: 0o600 });
    this.size += bytes;
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
export async function readEvents(directory: string, maxFiles: number): Promise<ReadEventsResult> {
  const events: AtoEvent[] = [];
  let skipped = 0;
  for (let index = maxFiles - 1; index >= 0; index--) {
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
