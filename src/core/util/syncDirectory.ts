import { open } from 'node:fs/promises';

/** Makes a rename in `directory` durable. Directories cannot be opened for fsync on Windows; there it is skipped. */
export async function syncDirectory(directory: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
