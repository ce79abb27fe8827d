import { initCi } from '../core/ci/initCi';
import { ciSecrets, ciWorkflowPath } from '../core/ci/ciWorkflow';
import type { CliContext } from './cliContext';

declare const ATO_VERSION: string;

/**
 * `ato init-ci [--force]`: writes `.github/workflows/ato.yml` and the CLI copy it runs (`.github/ato/`), from
 * the bundle this CLI runs from. Exit 1, writing nothing, when a file differs and `--force` was not given.
 */
export async function initCiCommand(context: CliContext, force: boolean): Promise<number> {
  const result = await initCi({ workspaceRoot: context.workspaceRoot, cliBundleDirectory: __dirname, atoVersion: ATO_VERSION, force });
  if (context.json) {
    context.out(`${JSON.stringify(result, null, 2)}\n`);
    return result.written ? 0 : 1;
  }
  if (!result.written) {
    context.err(`ato init-ci: not written — these differ from what ATO ${ATO_VERSION} writes (ato init-ci --force replaces them):\n`);
    for (const file of result.files) if (file.outcome === 'differs') context.err(`  ${file.detail}\n`);
    return 1;
  }
  for (const file of result.files) context.out(`${file.outcome.padEnd(9)} ${file.path}\n`);
  const woken = result.ciWorkflows.length === 0 ? 'no other workflow found (add your CI\'s name under workflow_run)' : `finished runs of ${result.ciWorkflows.join(', ')}`;
  context.out(`\nThe loop ticks on issue, pull request, review and check events, pushes to ${result.defaultBranch}, ${woken}, hourly, and by hand.\n`);
  context.out(`Commit ${ciWorkflowPath} and .github/ato/, and set the repository secrets ${ciSecrets.join(', ')} (only the first is required).\n`);
  return 0;
}
