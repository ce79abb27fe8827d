import { StringDecoder } from 'node:string_decoder';

/**
 * Splits a byte stream into lines (LF or CRLF), decoding UTF-8 across chunk boundaries. A line longer
 * than `maxLineLength` is cut there and delivered in pieces, so one runaway line cannot exhaust memory.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly maxLineLength = 8 * 1024 * 1024,
  ) {}

  push(chunk: Buffer | string): void {
    this.pending += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    let newline = this.pending.indexOf('\n');
    while (newline !== -1) {
      this.emit(this.pending.slice(0, newline));
      this.pending = this.pending.slice(newline + 1);
      newline = this.pending.indexOf('\n');
    }
    while (this.pending.length > this.maxLineLength) {
      this.emit(this.pending.slice(0, this.maxLineLength));
      this.pending = this.pending.slice(this.maxLineLength);
    }
  }

  /** Delivers the last line when the stream did not end with a newline. */
  end(): void {
    this.pending += this.decoder.end();
    if (this.pending.length > 0) this.emit(this.pending);
    this.pending = '';
  }

  private emit(line: string): void {
    this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
  }
}
