import { accessSync, constants } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where scripts/setup-claude.sh installs the CLI (ATO_CLAUDE_HOME overrides it there and here). */
export function claudeHome(): string {
  return resolve(process.env['ATO_CLAUDE_HOME'] ?? join(__dirname, '..', '..', '..', '.cache', 'claude-code'));
}

/** The npm platform package that carries the native binary, as the wrapper's install.cjs picks it. */
function platformPackage(): string {
  const arch = process.arch;
  if (process.platform === 'linux') {
    const header = (process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header;
    return `claude-code-linux-${arch}${header?.glibcVersionRuntime === undefined ? '-musl' : ''}`;
  }
  return `claude-code-${process.platform}-${arch}`;
}

/**
 * The real Claude Code executable for the integration tests: `ATO_CLAUDE_BIN` when set (it must then
 * exist: a wrong path is an error, not a reason to skip), else the native binary of the platform package
 * under the install of scripts/setup-claude.sh (the wrapper's own `bin/claude.exe` is only a stub when npm
 * ran with --ignore-scripts). Undefined when there is none.
 */
export function findClaudeBinary(): string | undefined {
  const fromEnv = process.env['ATO_CLAUDE_BIN'];
  if (fromEnv !== undefined && fromEnv !== '') {
    try {
      accessSync(fromEnv, constants.X_OK);
    } catch (cause) {
      throw new Error(`ATO_CLAUDE_BIN=${fromEnv} is not an executable file`, { cause });
    }
    return fromEnv;
  }
  const modules = join(claudeHome(), 'node_modules', '@anthropic-ai');
  const candidates = [
    join(modules, platformPackage(), 'claude'),
    join(modules, 'claude-code', 'node_modules', '@anthropic-ai', platformPackage(), 'claude'),
  ];
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not there
    }
  }
  return undefined;
}

export const claudeMissingMessage = 'the real Claude Code CLI is not installed: run `bash scripts/setup-claude.sh` (or set ATO_CLAUDE_BIN)';

/**
 * Call in a `describe`: the suite is skipped, saying why, when the real CLI is not installed. Returns the
 * executable's path for the tests (they run only when there is one).
 */
export function useClaudeCli(): () => string {
  const binary = findClaudeBinary();
  before(function () {
    if (binary !== undefined) return;
    // eslint-disable-next-line no-console -- say why these tests did not run
    console.log(`      skipped: ${claudeMissingMessage}`);
    this.skip();
  });
  return () => {
    if (binary === undefined) throw new Error(claudeMissingMessage);
    return binary;
  };
}
