/** What a stream's `error` event carries when its reader has gone (`ato … | head`). */
function isBrokenPipe(error: unknown): boolean {
  return error instanceof Error && 'code' in error && (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED');
}

/**
 * `ato tasks | head`: once `head` has read its lines it closes the pipe, and the next write to stdout fails
 * with EPIPE, emitted as an `error` event that nothing handled — node died with a stack trace and exit 1.
 * Like git, the CLI stops quietly with status 0 when the reader of its stdout has gone: nobody is left to
 * read the rest. When stderr's reader has gone, its later writes are dropped and the command goes on (its
 * results still reach stdout). Any other stream error is thrown as before.
 */
export function handleBrokenPipes(streams: { readonly stdout: NodeJS.EventEmitter; readonly stderr: NodeJS.EventEmitter }, exit: (code: number) => void): void {
  streams.stdout.on('error', (error: unknown) => {
    if (!isBrokenPipe(error)) throw error;
    exit(0);
  });
  streams.stderr.on('error', (error: unknown) => {
    if (!isBrokenPipe(error)) throw error;
  });
}
