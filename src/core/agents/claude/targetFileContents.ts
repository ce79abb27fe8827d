import { constants, type FileHandle, open } from 'node:fs/promises';
import { codeSpan, fenced } from '../../loop/texts/thirdPartyText';
import { decodeTaskText } from '../../tasks/taskText';
import { resolveContained } from '../../util/pathContainment';

/** How much of the repository one request carries. */
export interface TargetFileLimits {
  /** Bytes read from one file; the rest is cut (and the cut is said). Default 100 KiB. */
  readonly maxFileBytes?: number;
  /** Bytes read from all files together; files past it are named, not read. Default 400 KiB (≈ 100 K tokens). */
  readonly maxTotalBytes?: number;
}

export const defaultTargetFileLimits = { maxFileBytes: 100 * 1024, maxTotalBytes: 400 * 1024 } as const;

/** One target file as the request quotes it. */
export interface TargetFileText {
  readonly path: string;
  /** What was sent: the fenced text, or why nothing was. */
  readonly section: string;
  /** Bytes of the file that were sent. */
  readonly bytesSent: number;
}

// Windows has no O_NOFOLLOW; there the containment check before the open is what guards.
const noFollow = (constants as Partial<typeof constants>).O_NOFOLLOW ?? 0;
// A FIFO named as a target must not block the open; regular files ignore the flag.
const nonBlocking = (constants as Partial<typeof constants>).O_NONBLOCK ?? 0;

/**
 * The task's target files, read from `root` (the workspace) for a model that cannot read them itself: each
 * path followed through the file system and read only when it stays inside `root` (a symlink made since
 * the dispatcher's check counts), only a regular UTF-8 file, at most `maxFileBytes` of it and
 * `maxTotalBytes` in all. Each file is fenced as third-party text (it cannot close its fence or carry a
 * marker) under a heading that names it; a file that was not read says why. Never throws for one file.
 */
export async function readTargetFiles(root: string, paths: readonly string[], limits: TargetFileLimits = {}): Promise<TargetFileText[]> {
  const maxFile = limits.maxFileBytes ?? defaultTargetFileLimits.maxFileBytes;
  let budget = limits.maxTotalBytes ?? defaultTargetFileLimits.maxTotalBytes;
  const texts: TargetFileText[] = [];
  for (const path of paths) {
    const heading = `File ${codeSpan(path)}`;
    const skipped = (why: string): TargetFileText => ({ path, section: `${heading}: ${why}.`, bytesSent: 0 });
    if (budget <= 0) {
      texts.push(skipped('not sent (the request holds as much of the repository as ATO sends at once)'));
      continue;
    }
    const found = await resolveContained(root, path);
    if (found.kind !== 'inside') {
      texts.push(skipped('not read: it leads outside the workspace'));
      continue;
    }
    if (!found.exists) {
      texts.push(skipped('not found in the workspace'));
      continue;
    }
    const read = await readBounded(found.realPath, Math.min(maxFile, budget));
    if (read.kind !== 'text') {
      texts.push(skipped(whyNotRead(read)));
      continue;
    }
    budget -= read.bytes;
    const cut = read.size > read.bytes ? ` (the first ${read.bytes} of ${read.size} bytes)` : ` (${read.size} bytes)`;
    texts.push({ path, section: `${heading}${cut}:\n\n${fenced(read.text)}`, bytesSent: read.bytes });
  }
  return texts;
}

function whyNotRead(read: Exclude<BoundedRead, { kind: 'text' }>): string {
  switch (read.kind) {
    case 'binary':
      return 'not sent: a binary or non-UTF-8 file';
    case 'notFile':
      return 'not sent: not a regular file';
    case 'error':
      return `not read: ${read.reason}`;
  }
}

type BoundedRead =
  | { readonly kind: 'text'; readonly text: string; readonly bytes: number; readonly size: number }
  | { readonly kind: 'binary' | 'notFile' }
  | { readonly kind: 'error'; readonly reason: string };

async function readBounded(file: string, maxBytes: number): Promise<BoundedRead> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(file, constants.O_RDONLY | noFollow | nonBlocking);
    const stats = await handle.stat();
    if (!stats.isFile()) return { kind: 'notFile' };
    const buffer = Buffer.alloc(Math.min(maxBytes, stats.size));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    // A cut in the middle of a UTF-8 sequence is not the file's fault: drop the partial character.
    const bytes = bytesRead < stats.size ? wholeCharacters(buffer.subarray(0, bytesRead)) : buffer.subarray(0, bytesRead);
    const decoded = decodeTaskText(bytes);
    if (!('text' in decoded)) return { kind: 'binary' };
    return { kind: 'text', text: decoded.text, bytes: bytes.length, size: stats.size };
  } catch (error) {
    return { kind: 'error', reason: error instanceof Error && 'code' in error ? String(error.code) : String(error) };
  } finally {
    await handle?.close();
  }
}

/** `bytes` without a trailing incomplete UTF-8 sequence. */
function wholeCharacters(bytes: Buffer): Buffer {
  let end = bytes.length;
  let back = 0;
  while (end > 0 && back < 4 && ((bytes[end - 1] ?? 0) & 0xc0) === 0x80) {
    end--;
    back++;
  }
  if (end > 0 && ((bytes[end - 1] ?? 0) & 0x80) !== 0) {
    const lead = bytes[end - 1] ?? 0;
    const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
    if (length > back + 1) return bytes.subarray(0, end - 1);
  }
  return bytes;
}
