export interface Captured<T> {
  readonly result: T;
  readonly stdout: string;
  readonly stderr: string;
}

type Write = typeof process.stdout.write;

/**
 * Runs `run` while collecting what is written to process.stdout and process.stderr, then restores both
 * streams exactly as they were (even when `run` throws).
 */
export async function captureOutput<T>(run: () => Promise<T>): Promise<Captured<T>> {
  const out: string[] = [];
  const err: string[] = [];
  const stdoutDescriptor = Object.getOwnPropertyDescriptor(process.stdout, 'write');
  const stderrDescriptor = Object.getOwnPropertyDescriptor(process.stderr, 'write');
  const collector = (into: string[]): Write => (chunk: string | Uint8Array) => {
    into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  process.stdout.write = collector(out);
  process.stderr.write = collector(err);
  try {
    const result = await run();
    return { result, stdout: out.join(''), stderr: err.join('') };
  } finally {
    restore(process.stdout, stdoutDescriptor);
    restore(process.stderr, stderrDescriptor);
  }
}

function restore(stream: NodeJS.WriteStream, descriptor: PropertyDescriptor | undefined): void {
  if (descriptor === undefined) Reflect.deleteProperty(stream, 'write');
  else Object.defineProperty(stream, 'write', descriptor);
}
