import assert from 'node:assert/strict';
import { validateWorkflow } from '@action-validator/core';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { buildCiWorkflow, ciSecrets, ciWorkflowName, defaultCiCron } from '../../../../src/core/ci/ciWorkflow';
import { githubWorkflowSchema } from '../../../support/githubWorkflowSchema';

const options = { defaultBranch: 'main', ciWorkflows: ['CI', 'Lint'], atoVersion: '9.9.9' };

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly env?: Record<string, string>;
  readonly with?: Record<string, unknown>;
}
interface Workflow {
  readonly name: string;
  readonly on: Record<string, { types?: string[]; branches?: string[]; workflows?: string[] } | { cron: string }[] | null>;
  readonly concurrency: { group: string; 'cancel-in-progress': boolean };
  readonly permissions: Record<string, string>;
  readonly jobs: { tick: { steps: Step[] } };
}

function parsed(text: string): Workflow {
  return parse(text) as Workflow;
}

describe('the CI workflow ato init-ci writes', () => {
  // ajv over SchemaStore's github-workflow.json (the published workflow schema), as @action-validator/core ships it.
  const validate = new Ajv({ strict: false, allErrors: true }).compile(githubWorkflowSchema());

  it('is valid against the published GitHub workflow JSON schema (ajv, and action-validator)', () => {
    for (const ciWorkflows of [[], ['CI'], ['CI', 'Lint: "strict"', 'Deploy #1']]) {
      const text = buildCiWorkflow({ ...options, ciWorkflows });
      assert.ok(validate(parse(text)), `ajv: ${JSON.stringify(validate.errors, null, 2)}\n${text}`);
      assert.deepEqual(validateWorkflow(text).errors, [], text);
    }
  });

  it('the schema check can fail: a workflow with a misspelt event or a job without runs-on is refused', () => {
    const text = buildCiWorkflow(options);
    const misspelt = text.replace('\n  pull_request_review:', '\n  pull_request_reviews:');
    assert.notEqual(misspelt, text);
    assert.equal(validate(parse(misspelt)), false);
    assert.notDeepEqual(validateWorkflow(misspelt).errors, []);
    const noRunner = text.replace('    runs-on: ubuntu-latest\n', '');
    assert.equal(validate(parse(noRunner)), false);
  });

  it('wakes on the events that change what the loop would do, a slow schedule and by hand; polls nothing', () => {
    const on = parsed(buildCiWorkflow(options)).on;
    assert.deepEqual(Object.keys(on).sort(), ['check_suite', 'issues', 'pull_request', 'pull_request_review', 'push', 'schedule', 'workflow_dispatch', 'workflow_run']);
    assert.deepEqual(on['push'], { branches: ['main'] });
    assert.deepEqual(on['check_suite'], { types: ['completed'] });
    assert.deepEqual(on['workflow_run'], { workflows: ['CI', 'Lint'], types: ['completed'] });
    assert.deepEqual(on['schedule'], [{ cron: defaultCiCron }]);
    assert.equal(defaultCiCron.split(' ')[1], '*', 'hourly, not every few minutes');
    assert.ok(/^\d+$/.test(defaultCiCron.split(' ')[0] ?? ''), 'at one minute of the hour');
    const issues = on['issues'] as { types: string[] };
    for (const type of ['opened', 'closed', 'reopened', 'assigned', 'labeled']) assert.ok(issues.types.includes(type), type);
    const pulls = on['pull_request'] as { types: string[] };
    for (const type of ['opened', 'synchronize', 'closed', 'ready_for_review', 'converted_to_draft']) assert.ok(pulls.types.includes(type), type);
  });

  it('never wakes on its own runs, and names no workflow_run without other workflows', () => {
    assert.deepEqual((parsed(buildCiWorkflow({ ...options, ciWorkflows: ['CI', ciWorkflowName, 'CI'] })).on['workflow_run'] as { workflows: string[] }).workflows, ['CI']);
    assert.equal(parsed(buildCiWorkflow({ ...options, ciWorkflows: [] })).on['workflow_run'], undefined);
  });

  it('runs one loop at a time, never cancelling one mid-action, with a read-only built-in token', () => {
    const workflow = parsed(buildCiWorkflow(options));
    assert.deepEqual(workflow.concurrency, { group: 'ato-loop', 'cancel-in-progress': false });
    assert.deepEqual(workflow.permissions, { contents: 'read' });
  });

  it('checks out the default branch without keeping credentials, ticks once with the secrets, and keeps the event log', () => {
    const steps = parsed(buildCiWorkflow({ ...options, defaultBranch: 'trunk' })).jobs.tick.steps;
    assert.deepEqual(steps.map(s => s.uses ?? 'run'), ['actions/checkout@v4', 'actions/setup-node@v4', 'run', 'actions/upload-artifact@v4']);
    assert.deepEqual(steps[0]?.with, { ref: 'trunk', 'persist-credentials': false });
    const tick = steps[2];
    assert.ok(tick);
    assert.deepEqual(tick.env, Object.fromEntries(ciSecrets.map(name => [name, `\${{ secrets.${name} }}`])));
    assert.match(tick.run ?? '', /^node \.github\/ato\/cli\.js tick$/m);
    assert.match(tick.run ?? '', /^export ATO_GITHUB_API_URL="\$GITHUB_API_URL"$/m);
    assert.match(tick.run ?? '', /^export ATO_LOOP_HOLDER=/m);
    const upload = steps[3];
    assert.ok(upload);
    assert.equal(upload.if, 'always()');
    assert.match(String(upload.with?.['path']), /\.ato\/events\.ndjson\*/);
  });

  it('quotes names from the repository: a hostile workflow or branch name stays one YAML string', () => {
    const hostile = 'CI"]\n  push: {}\n#';
    const text = buildCiWorkflow({ ...options, ciWorkflows: [hostile], defaultBranch: 'we"ird' });
    const workflow = parsed(text);
    assert.deepEqual((workflow.on['workflow_run'] as { workflows: string[] }).workflows, [hostile]);
    assert.deepEqual(workflow.on['push'], { branches: ['we"ird'] });
    assert.ok(validate(workflow), JSON.stringify(validate.errors));
  });

  it('is the same bytes for the same options (so init-ci can say "unchanged")', () => {
    assert.equal(buildCiWorkflow({ ...options, ciWorkflows: ['Lint', 'CI'] }), buildCiWorkflow(options));
  });
});
