/**
 * The GitHub Actions workflow `ato init-ci` writes (PRODUCT §9): the loop wakes on the events that change what
 * it would do, plus a slow schedule as a safety net and a manual trigger, one run at a time, with the loop's
 * keys from repository secrets, one `ato tick` (which takes the remote lease), and the event log kept as an
 * artifact. Between events nothing runs, so nothing polls GitHub.
 */

/** Where the workflow goes, relative to the repository's root. */
export const ciWorkflowPath = '.github/workflows/ato.yml';

/** Where the copy of the `ato` CLI the workflow runs goes (see ciCliCopy.ts). */
export const ciCliDirectory = '.github/ato';

/** The workflow's `name:`; other workflows' runs wake the loop, never its own. */
export const ciWorkflowName = 'ATO loop';

/** The repository secrets the workflow passes to the CLI; each is optional except the GitHub token. */
export const ciSecrets = ['ATO_GITHUB_TOKEN', 'ATO_ANTHROPIC_API_KEY', 'ATO_JULES_API_KEY'] as const;

export interface CiWorkflowOptions {
  /** The repository's default branch: pushes to it wake the loop, and the loop runs its code, never a PR's. */
  readonly defaultBranch: string;
  /** `name:`s of the repository's other workflows (its CI): a finished run of one wakes the loop. */
  readonly ciWorkflows: readonly string[];
  /** The safety-net schedule (cron, UTC); default hourly at minute 23 (off the top of the hour GitHub delays). */
  readonly cron?: string;
  /** The ATO version that wrote it, named in the header. */
  readonly atoVersion: string;
}

export const defaultCiCron = '23 * * * *';

/** A YAML double-quoted scalar: JSON's string syntax is valid YAML, and escapes whatever a name holds. */
function quoted(text: string): string {
  return JSON.stringify(text);
}

/** The workflow's text. Pure: the same options give the same bytes, so `init-ci` can tell "unchanged" from "differs". */
export function buildCiWorkflow(options: CiWorkflowOptions): string {
  const others = [...new Set(options.ciWorkflows.filter(name => name.trim() !== '' && name !== ciWorkflowName))].sort();
  const workflowRun = others.length === 0
    ? ['  # workflow_run: no other workflow was found when this was written; add your CI\'s `name:` here so a', '  # finished CI run wakes the loop (check_suite does not fire for suites GitHub Actions creates).']
    : ['  workflow_run:', `    workflows: [${others.map(quoted).join(', ')}]`, '    types: [completed]'];
  const lines = [
    `# Written by \`ato init-ci\` (ATO ${options.atoVersion}). It runs ATO's loop on GitHub Actions: one tick each time`,
    '# something changes what the loop would do, an hourly tick as a safety net, and nothing in between.',
    '# Repository secrets: ATO_GITHUB_TOKEN (required: a token that may assign Copilot, open issues and PRs and',
    '# push; the built-in GITHUB_TOKEN cannot assign Copilot, and what it does wakes no workflow),',
    '# ATO_ANTHROPIC_API_KEY and ATO_JULES_API_KEY (optional). The loop runs the CLI copied into .github/ato/',
    '# from the default branch, never code from a pull request. `ato init-ci --force` writes this file again.',
    `name: ${quoted(ciWorkflowName)}`,
    '',
    'on:',
    '  issues:',
    '    types: [opened, edited, closed, reopened, assigned, unassigned, labeled, unlabeled]',
    '  pull_request:',
    '    types: [opened, edited, closed, reopened, synchronize, ready_for_review, converted_to_draft, review_requested, labeled, unlabeled]',
    '  pull_request_review:',
    '    types: [submitted, dismissed]',
    '  check_suite:',
    '    types: [completed]',
    ...workflowRun,
    '  push:',
    `    branches: [${quoted(options.defaultBranch)}]`,
    '  schedule:',
    `    - cron: ${quoted(options.cron ?? defaultCiCron)}`,
    '  workflow_dispatch:',
    '',
    '# One loop at a time per repository; a run never cancels another mid-action (the remote lease is the',
    '# second guard, against loops elsewhere: a window in VS Code, a teammate).',
    'concurrency:',
    '  group: ato-loop',
    '  cancel-in-progress: false',
    '',
    '# The built-in token only checks the repository out; the loop acts with ATO_GITHUB_TOKEN.',
    'permissions:',
    '  contents: read',
    '',
    'jobs:',
    '  tick:',
    '    runs-on: ubuntu-latest',
    '    timeout-minutes: 30',
    '    steps:',
    '      - name: Check out the default branch',
    '        uses: actions/checkout@v4',
    '        with:',
    `          ref: ${quoted(options.defaultBranch)}`,
    '          persist-credentials: false',
    '      - name: Set up Node.js',
    '        uses: actions/setup-node@v4',
    '        with:',
    '          node-version: 22',
    '      - name: One tick of the loop',
    '        env:',
    ...ciSecrets.map(name => `          ${name}: \${{ secrets.${name} }}`),
    '        run: |',
    ...tickScript().map(line => (line === '' ? '' : `          ${line}`)),
    '      - name: Keep the event log',
    '        if: always()',
    '        uses: actions/upload-artifact@v4',
    '        with:',
    '          name: ato-events-${{ github.run_id }}-${{ github.run_attempt }}',
    '          path: |',
    '            .ato/events.ndjson*',
    '            .ato/runs/',
    '          if-no-files-found: ignore',
    '          retention-days: 14',
    '',
  ];
  return lines.join('\n');
}

/** The tick step's bash: Actions' own variables (GITHUB_API_URL, GITHUB_RUN_ID…) rather than expressions. */
function tickScript(): string[] {
  return [
    'set -euo pipefail',
    'if [ -z "${ATO_GITHUB_TOKEN:-}" ]; then',
    '  if [ "$GITHUB_EVENT_NAME" = pull_request ]; then',
    '    # A fork\'s or Dependabot\'s pull request runs without secrets; the loop acts on the next event.',
    '    echo "::notice::No ATO_GITHUB_TOKEN in this pull request\'s run; the loop waits for the next event."',
    '    exit 0',
    '  fi',
    '  echo "::error::Set the repository secret ATO_GITHUB_TOKEN (Settings > Secrets and variables > Actions)."',
    '  exit 1',
    'fi',
    '# The token goes to this repository\'s GitHub only (github.com, or the Enterprise server it runs on).',
    'export ATO_GITHUB_API_URL="$GITHUB_API_URL"',
    'export ATO_LOOP_HOLDER="github-actions:$GITHUB_REPOSITORY#$GITHUB_RUN_ID"',
    `node ${ciCliDirectory}/cli.js tick`,
  ];
}
