import assert from 'node:assert/strict';
import { readEnvironmentSettings, settingEnvironmentVariable } from '../../../../src/core/settings/environmentSettings';
import { settingDefinitions, type SettingKey } from '../../../../src/core/settings/settings';

describe('environment settings', () => {
  it('derives one ATO_ variable per setting', () => {
    const expected: Record<SettingKey, string> = {
      planningPath: 'ATO_PLANNING_PATH',
      'github.apiUrl': 'ATO_GITHUB_API_URL',
      'gitlab.apiUrl': 'ATO_GITLAB_API_URL',
      'anthropic.apiUrl': 'ATO_ANTHROPIC_API_URL',
      'jules.apiUrl': 'ATO_JULES_API_URL',
      'network.timeoutSeconds': 'ATO_NETWORK_TIMEOUT_SECONDS',
      'eventLog.maxFileSizeMB': 'ATO_EVENT_LOG_MAX_FILE_SIZE_MB',
      'eventLog.maxFiles': 'ATO_EVENT_LOG_MAX_FILES',
      'queue.autoDispatch': 'ATO_QUEUE_AUTO_DISPATCH',
      'notifications.runs': 'ATO_NOTIFICATIONS_RUNS',
      'agents.maxConcurrentRuns': 'ATO_AGENTS_MAX_CONCURRENT_RUNS',
      'agents.timeoutMinutes': 'ATO_AGENTS_TIMEOUT_MINUTES',
      'agents.worktreePoolSize': 'ATO_AGENTS_WORKTREE_POOL_SIZE',
      'runs.stallMinutes': 'ATO_RUNS_STALL_MINUTES',
      'runs.stallPolicy': 'ATO_RUNS_STALL_POLICY',
      'runs.escalationIssue': 'ATO_RUNS_ESCALATION_ISSUE',
      'agents.claudeCode.executable': 'ATO_AGENTS_CLAUDE_CODE_EXECUTABLE',
      'agents.claudeCode.maxTurns': 'ATO_AGENTS_CLAUDE_CODE_MAX_TURNS',
      'agents.claudeCode.concurrent': 'ATO_AGENTS_CLAUDE_CODE_CONCURRENT',
      'agents.claudeCode.model': 'ATO_AGENTS_CLAUDE_CODE_MODEL',
      'agents.claudeCode.maxBudgetUsd': 'ATO_AGENTS_CLAUDE_CODE_MAX_BUDGET_USD',
      'agents.claude.enabled': 'ATO_AGENTS_CLAUDE_ENABLED',
      'agents.claude.model': 'ATO_AGENTS_CLAUDE_MODEL',
      'agents.claude.maxTokens': 'ATO_AGENTS_CLAUDE_MAX_TOKENS',
      'agents.claude.concurrent': 'ATO_AGENTS_CLAUDE_CONCURRENT',
      'agents.custom': 'ATO_AGENTS_CUSTOM',
      'agents.jules.enabled': 'ATO_AGENTS_JULES_ENABLED',
      'agents.jules.concurrent': 'ATO_AGENTS_JULES_CONCURRENT',
      'agents.jules.dailySessions': 'ATO_AGENTS_JULES_DAILY_SESSIONS',
      'agents.jules.requirePlanApproval': 'ATO_AGENTS_JULES_REQUIRE_PLAN_APPROVAL',
      'agents.jules.startingBranch': 'ATO_AGENTS_JULES_STARTING_BRANCH',
      'loop.pollSecondsActive': 'ATO_LOOP_POLL_SECONDS_ACTIVE',
      'loop.pollSecondsIdle': 'ATO_LOOP_POLL_SECONDS_IDLE',
      'loop.fullRefreshMinutes': 'ATO_LOOP_FULL_REFRESH_MINUTES',
      'loop.pauseWhenUnfocusedMinutes': 'ATO_LOOP_PAUSE_WHEN_UNFOCUSED_MINUTES',
      'loop.leaseSeconds': 'ATO_LOOP_LEASE_SECONDS',
      'loop.agent': 'ATO_LOOP_AGENT',
      'loop.copilotInstructions': 'ATO_LOOP_COPILOT_INSTRUCTIONS',
      'loop.queueMoves': 'ATO_LOOP_QUEUE_MOVES',
      'loop.agentAccounts': 'ATO_LOOP_AGENT_ACCOUNTS',
      'loop.allowForkPullRequests': 'ATO_LOOP_ALLOW_FORK_PULL_REQUESTS',
      'merge.auto': 'ATO_MERGE_AUTO',
      'merge.method': 'ATO_MERGE_METHOD',
      'merge.requireReviewSignal': 'ATO_MERGE_REQUIRE_REVIEW_SIGNAL',
      'merge.protectedPaths': 'ATO_MERGE_PROTECTED_PATHS',
      'merge.requiredLabel': 'ATO_MERGE_REQUIRED_LABEL',
      'merge.requiredChecks': 'ATO_MERGE_REQUIRED_CHECKS',
      'merge.allowNoChecks': 'ATO_MERGE_ALLOW_NO_CHECKS',
      'merge.train': 'ATO_MERGE_TRAIN',
      'maintenance.enabled': 'ATO_MAINTENANCE_ENABLED',
      'maintenance.maxFixAttempts': 'ATO_MAINTENANCE_MAX_FIX_ATTEMPTS',
      'maintenance.scope': 'ATO_MAINTENANCE_SCOPE',
      'maintenance.deployLog': 'ATO_MAINTENANCE_DEPLOY_LOG',
      'maintenance.reviewEvery': 'ATO_MAINTENANCE_REVIEW_EVERY',
      'fleet.limits': 'ATO_FLEET_LIMITS',
      'fleet.budgets': 'ATO_FLEET_BUDGETS',
      'fleet.copilotPremiumRequestUsd': 'ATO_FLEET_COPILOT_PREMIUM_REQUEST_USD',
      'fleet.startsPerMinute': 'ATO_FLEET_STARTS_PER_MINUTE',
      'runs.defaultBudgetUsd': 'ATO_RUNS_DEFAULT_BUDGET_USD',
    };
    assert.deepEqual(Object.keys(expected).sort(), Object.keys(settingDefinitions).sort());
    for (const [key, variable] of Object.entries(expected) as [SettingKey, string][]) {
      assert.equal(settingEnvironmentVariable(key), variable);
    }
  });

  it('uses the defaults for an empty environment, and ignores empty variables', () => {
    for (const env of [{}, { ATO_PLANNING_PATH: '', ATO_EVENT_LOG_MAX_FILES: '' }]) {
      const { settings, problems } = readEnvironmentSettings(env);
      assert.deepEqual(problems, []);
      assert.equal(settings.planningPath, 'planning');
      assert.equal(settings['eventLog.maxFiles'], 5);
    }
  });

  it('parses booleans and JSON lists', () => {
    const { settings, problems } = readEnvironmentSettings({ ATO_QUEUE_AUTO_DISPATCH: 'TRUE', ATO_AGENTS_CUSTOM: '[{"id":"x","command":"x"}]' });
    assert.deepEqual(problems, []);
    assert.equal(settings['queue.autoDispatch'], true);
    assert.deepEqual(settings['agents.custom'], [{ id: 'x', command: 'x' }]);
    const bad = readEnvironmentSettings({ ATO_QUEUE_AUTO_DISPATCH: 'yes please', ATO_AGENTS_CUSTOM: '{not json' });
    assert.deepEqual(bad.problems.map(p => p.setting).sort(), ['ato.agents.custom', 'ato.queue.autoDispatch']);
  });

  it('reads strings and parses numbers', () => {
    const { settings, problems } = readEnvironmentSettings({
      ATO_PLANNING_PATH: 'docs/plan',
      ATO_GITHUB_API_URL: 'https://ghe.example/api/v3/',
      ATO_NETWORK_TIMEOUT_SECONDS: '7',
      ATO_EVENT_LOG_MAX_FILE_SIZE_MB: '0.5',
      ATO_EVENT_LOG_MAX_FILES: ' 12 ',
    });
    assert.deepEqual(problems, []);
    assert.equal(settings.planningPath, 'docs/plan');
    assert.equal(settings['github.apiUrl'], 'https://ghe.example/api/v3');
    assert.equal(settings['network.timeoutSeconds'], 7);
    assert.equal(settings['eventLog.maxFileSizeMB'], 0.5);
    assert.equal(settings['eventLog.maxFiles'], 12);
  });

  const badNumbers: readonly [string, string][] = [
    ['ATO_EVENT_LOG_MAX_FILES', 'abc'],
    ['ATO_EVENT_LOG_MAX_FILES', '0'],
    ['ATO_EVENT_LOG_MAX_FILES', '2.5'],
    ['ATO_EVENT_LOG_MAX_FILES', '   '],
    ['ATO_NETWORK_TIMEOUT_SECONDS', 'Infinity'],
    ['ATO_NETWORK_TIMEOUT_SECONDS', 'NaN'],
    ['ATO_NETWORK_TIMEOUT_SECONDS', '10s'],
    ['ATO_EVENT_LOG_MAX_FILE_SIZE_MB', '-1'],
  ];
  for (const [variable, value] of badNumbers) {
    it(`rejects ${variable}=${JSON.stringify(value)} with a problem naming the setting`, () => {
      const { settings, problems } = readEnvironmentSettings({ [variable]: value });
      const key = (Object.keys(settingDefinitions) as SettingKey[]).find(k => settingEnvironmentVariable(k) === variable);
      assert.ok(key !== undefined);
      assert.equal(problems.length, 1);
      assert.equal(problems[0]?.setting, `ato.${key}`);
      assert.ok(problems[0].message.includes(`ato.${key}`));
      assert.equal(settings[key], settingDefinitions[key].default);
    });
  }

  it('keeps numeric-looking text a string for string settings', () => {
    const { settings, problems } = readEnvironmentSettings({ ATO_PLANNING_PATH: '2024' });
    assert.deepEqual(problems, []);
    assert.equal(settings.planningPath, '2024');
  });

  it('rejects a planning path that leaves the workspace', () => {
    const { settings, problems } = readEnvironmentSettings({ ATO_PLANNING_PATH: '../../etc' });
    assert.equal(settings.planningPath, 'planning');
    assert.equal(problems[0]?.setting, 'ato.planningPath');
  });

  it('ignores variables of other programs and lower-case look-alikes', () => {
    const { settings, problems } = readEnvironmentSettings({ EVENT_LOG_MAX_FILES: '9', ato_event_log_max_files: '9', GITHUB_API_URL: 'https://x.example' });
    assert.deepEqual(problems, []);
    assert.equal(settings['eventLog.maxFiles'], 5);
    assert.equal(settings['github.apiUrl'], 'https://api.github.com');
  });
  it('reads an object setting as JSON and validates it whole (ato.fleet.limits, ato.fleet.budgets)', () => {
    const { settings, problems } = readEnvironmentSettings({ ATO_FLEET_LIMITS: '{"claude-code":{"dailyRuns":15}}', ATO_FLEET_BUDGETS: '{"anthropic":{"dailyUsd":-1}}' });
    assert.deepEqual(settings['fleet.limits'], { 'claude-code': { dailyRuns: 15 } });
    assert.deepEqual(settings['fleet.budgets'], {}, 'a negative budget is refused: the default is used');
    assert.deepEqual(problems.map(problem => problem.setting), ['ato.fleet.budgets']);
    assert.equal(readEnvironmentSettings({ ATO_FLEET_LIMITS: 'not json' }).problems[0]?.setting, 'ato.fleet.limits');
  });
});
