import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import type { TaskDiagnostic } from './task';
import { fileStartRange, taskDiagnostic } from './taskDiagnostics';

import { decodeTaskText } from './taskText';

/** Task files larger than this are refused (PRODUCT §3.1). */
export const maxTaskFileBytes = 1024 * 1024;

export interface LoadedTaskFile {
  /** The text, when the file is a readable UTF-8 text file of at most 1 MiB (a leading BOM removed). */
  readonly text?: string;
  readonly diagnostics: readonly TaskDiagnostic[];
}

function refused(code: string, message: string): LoadedTaskFile {
  return { diagnostics: [taskDiagnostic('error', code, message, fileStartRange)] };
}

/**
 * Reads a task file's text, refusing (with a diagnostic at 0:0, never by throwing) a file over
 * `maxBytes`, a binary file (a NUL byte or invalid UTF-8) and a file that cannot be read. Reads at most
 * `maxBytes + 1` bytes, so a huge file costs no more than a small one.
 */
export async function loadTaskFile(path: string, maxBytes = maxTaskFileBytes): Promise<LoadedTaskFile> {
  let bytes: Buffer;
  try {
    // Non-blocking: a FIFO named like a task file must not hang the reader.
    const handle = await open(path, constants.O_RDONLY | ((constants as Partial<typeof constants>).O_NONBLOCK ?? 0));
    try {
      const stats = await handle.stat();
      if (!stats.isFile()) return refused('file-unreadable', 'This is not a regular file.');
      if (stats.size > maxBytes) return refused('file-too-large', `This task file is ${formatBytes(stats.size)}; task files may be at most ${formatBytes(maxBytes)}.`);
      // Sized by stat, grown if the file grows while it is read, never beyond `maxBytes + 1`.
      bytes = Buffer.alloc(Math.min(stats.size, maxBytes) + 1);
      let length = 0;
      for (;;) {
        const { bytesRead } = await handle.read(bytes, length, bytes.length - length, null);
        if (bytesRead === 0) break;
        length += bytesRead;
        if (length === bytes.length) {
          if (length > maxBytes) break;
          const grown = Buffer.alloc(Math.min(bytes.length * 2, maxBytes + 1));
          bytes.copy(grown);
          bytes = grown;
        }
      }
      bytes = bytes.subarray(0, length);
    } finally {
      await handle.close();
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return refused('file-unreadable', `ATO cannot read this task file: ${reason}`);
  }
  if (bytes.length > maxBytes) return refused('file-too-large', `This task file is larger than ${formatBytes(maxBytes)}, the most ATO reads.`);
  const decoded = decodeTaskText(bytes);
  return 'text' in decoded ? { text: decoded.text, diagnostics: [] } : refused(decoded.problem.code, decoded.problem.message);
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / 1024 / 1024).toFixed(1))} MiB`;
  return bytes >= 1024 ? `${Math.ceil(bytes / 1024)} KiB` : `${bytes} bytes`;
}
