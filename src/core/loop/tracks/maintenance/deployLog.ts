import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import '../../../../shared/zod';

/**
 * The deploy log (`ato.maintenance.deployLog`, issue 11; seed 003's "detection from deployment logs"): one
 * deployment event a line — timestamp, environment, status, message. Written by someone else's deploy script,
 * so read as hostile text: a line that does not parse is skipped and counted, never guessed at.
 *
 * Accepted shapes (separators: spaces, `|`, `,` or `:`; brackets around the timestamp/environment optional):
 *   2026-12-07T23:10:00Z production failure Migration 0042 failed
 *   [2026-12-07 23:10:00] [staging] ERROR: health check timed out
 *   2026-12-07T23:10:00+01:00 | production | success | v1.4.2 is live
 *   {"timestamp":"2026-12-07T23:10:00Z","environment":"production","status":"failed","message":"…"}
 */

export type DeployStatus = 'success' | 'failure' | 'pending';

/** Longest line read (a longer one is junk: a stack trace pasted into the log, a binary blob). */
export const maxDeployLogLineChars = 4_096;

const statusWords: Readonly<Record<string, DeployStatus>> = {
  success: 'success', succeeded: 'success', successful: 'success', ok: 'success', deployed: 'success', passed: 'success', done: 'success',
  failure: 'failure', failed: 'failure', fail: 'failure', error: 'failure', errored: 'failure', crashed: 'failure', aborted: 'failure',
  pending: 'pending', started: 'pending', starting: 'pending', queued: 'pending', running: 'pending', in_progress: 'pending', deploying: 'pending',
};

export const deployLogEntrySchema = z.object({
  /** ISO 8601 in UTC, to the second. */
  timestamp: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/)),
  environment: z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/)),
  status: z.enum(['success', 'failure', 'pending']),
  message: z.string().check(z.maxLength(maxDeployLogLineChars)),
  /** The line as written (trailing blanks removed): what the idempotency key hashes and the task quotes. */
  line: z.string().check(z.minLength(1), z.maxLength(maxDeployLogLineChars)),
  /** 1-based line number in what was read (the tail of a large file numbers from its first whole line). */
  lineNumber: z.int().check(z.minimum(1)),
});
export type DeployLogEntry = z.infer<typeof deployLogEntrySchema>;

export interface DeployLog {
  readonly entries: readonly DeployLogEntry[];
  /** Non-blank lines that were not a deployment event. */
  readonly junkLines: number;
}

const jsonLineSchema = z.object({
  timestamp: z.optional(z.string()), time: z.optional(z.string()), ts: z.optional(z.string()),
  environment: z.optional(z.string()), env: z.optional(z.string()),
  status: z.optional(z.string()), state: z.optional(z.string()),
  message: z.optional(z.string()), msg: z.optional(z.string()),
});

const textLine = new RegExp([
  String.raw`^\[?(?<ts>\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)\]?`,
  String.raw`\s*[|,]?\s*\[?(?<env>[A-Za-z0-9][A-Za-z0-9._/-]*)\]?`,
  String.raw`\s*[|,:]?\s*(?<status>[A-Za-z_]+)`,
  String.raw`(?:\s*[|,:-]?\s+|\s*[|,:]\s*|$)(?<message>.*)$`,
].join(''));

/** `2026-12-07 23:10` → `2026-12-07T23:10:00Z`; a time without a zone is UTC (a log has no locale). */
function normalizeTimestamp(raw: string): string | undefined {
  let text = raw.trim().replace(' ', 'T');
  if (/T\d{2}:\d{2}$/.test(text)) text += ':00';
  if (!/(?:Z|[+-]\d{2}:?\d{2})$/.test(text)) text += 'Z';
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return undefined;
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function statusOf(word: string): DeployStatus | undefined {
  const status = statusWords[word.toLowerCase()];
  return status;
}

function fromParts(ts: string | undefined, env: string | undefined, status: string | undefined, message: string | undefined, line: string, lineNumber: number): DeployLogEntry | undefined {
  if (ts === undefined || env === undefined || status === undefined) return undefined;
  const timestamp = normalizeTimestamp(ts);
  const normalized = statusOf(status.trim());
  if (timestamp === undefined || normalized === undefined) return undefined;
  const parsed = deployLogEntrySchema.safeParse({ timestamp, environment: env.trim(), status: normalized, message: (message ?? '').trim(), line, lineNumber });
  return parsed.success ? parsed.data : undefined;
}

/** One line's deployment event, or undefined for anything else (blank, junk, too long, unknown status). */
export function parseDeployLogLine(raw: string, lineNumber = 1): DeployLogEntry | undefined {
  const line = raw.replace(/\s+$/, '');
  if (line.trim() === '' || line.length > maxDeployLogLineChars) return undefined;
  if (line.trimStart().startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      return undefined;
    }
    const fields = jsonLineSchema.safeParse(json);
    if (!fields.success) return undefined;
    const f = fields.data;
    return fromParts(f.timestamp ?? f.time ?? f.ts, f.environment ?? f.env, f.status ?? f.state, f.message ?? f.msg, line, lineNumber);
  }
  const match = textLine.exec(line.trim());
  if (match?.groups === undefined) return undefined;
  return fromParts(match.groups['ts'], match.groups['env'], match.groups['status'], match.groups['message'], line, lineNumber);
}

/** Every deployment event of a log text, in order; blank lines are not junk, anything else unparsed is. */
export function parseDeployLog(text: string): DeployLog {
  const entries: DeployLogEntry[] = [];
  let junkLines = 0;
  text.split(/\r\n|\r|\n/).forEach((raw, index) => {
    if (raw.trim() === '') return;
    const entry = parseDeployLogLine(raw, index + 1);
    if (entry === undefined) junkLines++;
    else entries.push(entry);
  });
  return { entries, junkLines };
}

/** The idempotency key of a deploy-log line: a hash of the line as written (the same line → the same task). */
export function deployLogLineKey(line: string): string {
  return `log-${createHash('sha256').update(line.replace(/\s+$/, ''), 'utf8').digest('hex').slice(0, 16)}`;
}
