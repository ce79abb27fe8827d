import type { Redactor } from '../core/logging/redactor';

/**
 * C0 controls other than newline and tab, DEL, and C1 controls (U+0080–U+009F; U+009B alone starts an
 * escape sequence on some terminals).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const controlCharacters = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Text from data (task titles, reasons, GitHub's messages, paths) reaches the terminal through the CLI, and
 * a control character in it could clear the screen, move the cursor, rewrite a line or ring the bell. Each
 * one becomes the visible `\u00XX`: in text output it shows what is there, in JSON output it is a valid
 * escape of the same character (JSON.stringify escapes C0 but leaves DEL and C1 raw). Newlines and tabs,
 * which ATO's own layout uses, stay.
 */
export function neutraliseControls(text: string): string {
  return text.replace(controlCharacters, character => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Where the CLI writes: stdout and stderr, each line redacted, then neutralised. */
export interface CliStreams {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

export function cliStreams(redactor: Redactor): CliStreams {
  return {
    out: text => { process.stdout.write(neutraliseControls(redactor.redact(text))); },
    err: text => { process.stderr.write(neutraliseControls(redactor.redact(text))); },
  };
}
