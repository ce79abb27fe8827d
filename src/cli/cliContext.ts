import type { Logger } from '../core/logging/logger';
import type { Redactor } from '../core/logging/redactor';

/** What every CLI command gets. */
export interface CliContext {
  readonly workspaceRoot: string;
  readonly json: boolean;
  readonly log: Logger;
  readonly redactor: Redactor;
  /** Writes to stdout, redacted, control characters neutralised (terminalText.ts). */
  readonly out: (text: string) => void;
  /** Writes to stderr, the same way: errors quote servers, git and agents. */
  readonly err: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
}
