// A loop process that is killed mid-action: `node --import tsx crashChild.ts '<json>'` with
// { apiUrl, token, workspaceRoot, point, markerFile, holder, leaseSeconds }. It opens the GitHub loop on the
// workspace and ticks; at the crash point it writes `markerFile` and then blocks for ever, so the parent can
// SIGKILL it exactly between two remote writes.
import { writeFileSync } from 'node:fs';
import { headlessTokenLookup } from '../../../src/core/forges/github/githubToken';
import { createLogger } from '../../../src/core/logging/logger';
import { Redactor } from '../../../src/core/logging/redactor';
import { createGitHubLoop } from '../../../src/core/loop/github/createGitHubLoop';
import { readSettings, type SettingKey } from '../../../src/core/settings/settings';
import { fastRetry } from './loopKit';

interface ChildArguments {
  readonly apiUrl: string;
  readonly token: string;
  readonly workspaceRoot: string;
  readonly point: string;
  readonly markerFile: string;
  readonly holder: string;
  readonly leaseSeconds: number;
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as ChildArguments;
  const overrides: Partial<Record<SettingKey, unknown>> = { 'github.apiUrl': args.apiUrl, 'merge.auto': true, 'loop.leaseSeconds': args.leaseSeconds };
  const { settings } = readSettings(key => overrides[key]);
  const loop = await createGitHubLoop({
    workspaceRoot: args.workspaceRoot,
    settings,
    token: headlessTokenLookup({ apiUrl: settings['github.apiUrl'] }, () => Promise.resolve(args.token)),
    log: createLogger({ write: () => undefined }, new Redactor()),
    redactor: new Redactor(),
    appendEvent: () => undefined,
    updateLoop: () => undefined,
    trusted: () => true,
    userAgent: 'ato-crash-child',
    timers: { setTimeout: () => undefined, clearTimeout: () => undefined },
    holder: args.holder,
    retry: fastRetry,
    checkpoint: async name => {
      if (name !== args.point) return;
      writeFileSync(args.markerFile, `${name}\n`);
      // Never returns: the parent kills the process here.
      await new Promise(() => { setInterval(() => undefined, 60_000); });
    },
  });
  if (loop.kind !== 'ready') throw new Error(loop.reason);
  const report = await loop.engine.tickNow();
  // Reaching here means the crash point never came: the parent reports what happened instead.
  process.stdout.write(`${JSON.stringify(report.outcomes.map(o => ({ action: o.action.kind, result: o.result, message: o.message })))}\n`);
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`crashChild: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
