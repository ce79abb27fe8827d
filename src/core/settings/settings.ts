import * as z from 'zod/mini';
import '../../shared/zod';
import { fleetBudgetsSchema, fleetLimitsSchema } from '../agents/fleet/fleetSettings';
import { describeError } from '../logging/redactor';

/** A setting whose value was rejected; the default was used instead. */
export interface SettingProblem {
  /** Full setting id, e.g. `ato.eventLog.maxFiles`. */
  readonly setting: string;
  readonly message: string;
}

const httpUrl = z.pipe(
  z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  z.transform(url => url.replace(/\/+$/, '')),
);

const relativeInsideWorkspace = z.string().check(
  z.minLength(1, 'must not be empty'),
  z.refine(p => !p.startsWith('/') && !/^[A-Za-z]:/.test(p) && !p.startsWith('\\'), 'must be relative to the workspace folder'),
  z.refine(p => !p.split(/[\\/]/).includes('..'), 'must stay inside the workspace folder (no `..`)'),
);

/**
 * Every setting ATO reads, with its schema and default. package.json's `contributes.configuration` must
 * declare exactly these keys with the same defaults (a unit test checks). `userOnly`: the setting redirects a
 * token, chooses what runs or widens whom ATO trusts, so it is `machine`-scoped in package.json and read only
 * from the user's (or the remote machine's) settings — never from a repository's workspace settings.
 */
export const settingDefinitions = {
  planningPath: { schema: relativeInsideWorkspace, default: 'planning' },
  'github.apiUrl': { schema: httpUrl, default: 'https://api.github.com', userOnly: true },
  'gitlab.apiUrl': { schema: httpUrl, default: 'https://gitlab.com/api/v4', userOnly: true },
  'anthropic.apiUrl': { schema: httpUrl, default: 'https://api.anthropic.com', userOnly: true },
  'jules.apiUrl': { schema: httpUrl, default: 'https://jules.googleapis.com/v1alpha', userOnly: true },
  'network.timeoutSeconds': { schema: z.int().check(z.minimum(1), z.maximum(300)), default: 30, userOnly: true },
  'eventLog.maxFileSizeMB': { schema: z.number().check(z.minimum(0.01), z.maximum(1024)), default: 10 },
  'eventLog.maxFiles': { schema: z.int().check(z.minimum(1), z.maximum(100)), default: 5 },
  'queue.autoDispatch': { schema: z.boolean(), default: false },
  'notifications.runs': { schema: z.enum(['all', 'failures', 'off']), default: 'all' },
  'agents.maxConcurrentRuns': { schema: z.int().check(z.minimum(1), z.maximum(32)), default: 4 },
  'agents.timeoutMinutes': { schema: z.number().check(z.minimum(1), z.maximum(24 * 60)), default: 30 },
  'agents.worktreePoolSize': { schema: z.int().check(z.minimum(0), z.maximum(16)), default: 2 },
  'runs.stallMinutes': { schema: z.number().check(z.minimum(0), z.maximum(24 * 60)), default: 15 },
  'runs.stallPolicy': { schema: z.enum(['needsYou', 'retry']), default: 'needsYou' },
  'runs.escalationIssue': { schema: z.boolean(), default: false },
  'agents.claudeCode.executable': { schema: z.string().check(z.minLength(1, 'must not be empty')), default: 'claude', userOnly: true },
  'agents.claudeCode.maxTurns': { schema: z.int().check(z.minimum(1), z.maximum(1000)), default: 40 },
  'agents.claudeCode.concurrent': { schema: z.int().check(z.minimum(1), z.maximum(16)), default: 2 },
  'agents.claudeCode.model': { schema: z.string(), default: '' },
  'agents.claudeCode.maxBudgetUsd': { schema: z.number().check(z.minimum(0), z.maximum(10_000)), default: 0 },
  'agents.claude.enabled': { schema: z.boolean(), default: true },
  'agents.claude.model': { schema: z.string().check(z.minLength(1, 'must not be empty')), default: 'claude-sonnet-5-5' },
  'agents.claude.maxTokens': { schema: z.int().check(z.minimum(1), z.maximum(128_000)), default: 8192 },
  'agents.claude.concurrent': { schema: z.int().check(z.minimum(1), z.maximum(16)), default: 2 },
  'agents.jules.enabled': { schema: z.boolean(), default: false, userOnly: true },
  'agents.jules.concurrent': { schema: z.int().check(z.minimum(1), z.maximum(60)), default: 3 },
  'agents.jules.dailySessions': { schema: z.int().check(z.minimum(0), z.maximum(10_000)), default: 15 },
  'agents.jules.requirePlanApproval': { schema: z.boolean(), default: true },
  'agents.jules.startingBranch': { schema: z.string().check(z.refine(branch => branch === '' || /^(?!-)[^\s~^:?*[\\]+$/.test(branch), 'must be a branch name')), default: '' },
  'loop.pollSecondsActive': { schema: z.int().check(z.minimum(5), z.maximum(3600)), default: 30 },
  'loop.pollSecondsIdle': { schema: z.int().check(z.minimum(10), z.maximum(86_400)), default: 300 },
  'loop.pauseWhenUnfocusedMinutes': { schema: z.int().check(z.minimum(0), z.maximum(1440)), default: 10 },
  'loop.fullRefreshMinutes': { schema: z.int().check(z.minimum(1), z.maximum(1440)), default: 10 },
  'loop.leaseSeconds': { schema: z.int().check(z.minimum(30), z.maximum(3600)), default: 300 },
  'loop.agent': { schema: z.string().check(z.regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'must be `auto` or an agent id (`copilot`, `claude-code`, an `ato.agents.custom` id)')), default: 'copilot' },
  'loop.copilotInstructions': { schema: z.string(), default: '' },
  'loop.queueMoves': { schema: z.enum(['commit', 'pullRequest']), default: 'commit' },
  'loop.agentAccounts': { schema: z.array(z.string().check(z.regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/, 'must be a GitHub login'))), default: [], userOnly: true },
  'loop.allowForkPullRequests': { schema: z.boolean(), default: false, userOnly: true },
  'merge.auto': { schema: z.boolean(), default: false },
  'merge.method': { schema: z.enum(['squash', 'merge', 'rebase']), default: 'squash' },
  'merge.requireReviewSignal': { schema: z.boolean(), default: true },
  'merge.protectedPaths': { schema: z.array(z.string().check(z.minLength(1, 'must not be empty'))), default: ['.github/workflows/**'] },
  'merge.requiredLabel': { schema: z.string(), default: '' },
  'merge.requiredChecks': { schema: z.enum(['required', 'all']), default: 'required' },
  'merge.allowNoChecks': { schema: z.boolean(), default: false },
  'merge.train': { schema: z.boolean(), default: false },
  'maintenance.enabled': { schema: z.boolean(), default: true },
  'maintenance.maxFixAttempts': { schema: z.int().check(z.minimum(1), z.maximum(20)), default: 3 },
  'maintenance.scope': { schema: z.enum(['atoPullRequests', 'writers']), default: 'atoPullRequests', userOnly: true },
  'maintenance.deployLog': { schema: z.union([z.literal(''), relativeInsideWorkspace]), default: '' },
  'maintenance.reviewEvery': { schema: z.int().check(z.minimum(0), z.maximum(1000)), default: 0 },
  'fleet.limits': { schema: fleetLimitsSchema, default: {}, userOnly: true },
  'fleet.budgets': { schema: fleetBudgetsSchema, default: {}, userOnly: true },
  'fleet.copilotPremiumRequestUsd': { schema: z.number().check(z.minimum(0), z.maximum(100)), default: 0.04 },
  'runs.defaultBudgetUsd': { schema: z.number().check(z.minimum(0), z.maximum(10_000)), default: 0 },
  'fleet.startsPerMinute': { schema: z.int().check(z.minimum(1), z.maximum(600)), default: 6 },
  /** Entries are validated one by one by readCustomAgents (src/core/agents/custom/customAgentSettings.ts). */
  'agents.custom': { schema: z.array(z.unknown()), default: [], userOnly: true },
} as const;

export type SettingKey = keyof typeof settingDefinitions;

/** Settings a workspace must not set (see `userOnly` above). */
export const userOnlySettings: ReadonlySet<SettingKey> = new Set((Object.keys(settingDefinitions) as SettingKey[]).filter(key => 'userOnly' in settingDefinitions[key]));
export type AtoSettings = { readonly [K in SettingKey]: z.output<(typeof settingDefinitions)[K]['schema']> };

export const settingsSection = 'ato';

export interface SettingsReadResult {
  readonly settings: AtoSettings;
  readonly problems: readonly SettingProblem[];
}

/**
 * Reads every setting through `getRaw` (VS Code's configuration, or the CLI's environment/file), validates
 * each one on its own, and falls back to the default for any invalid value with a message that names the
 * setting. Never throws: a bad setting must not take the extension down.
 */
export function readSettings(getRaw: (key: SettingKey) => unknown): SettingsReadResult {
  const problems: SettingProblem[] = [];
  const settings: Record<string, unknown> = {};
  for (const key of Object.keys(settingDefinitions) as SettingKey[]) {
    const definition = settingDefinitions[key];
    let raw: unknown;
    try {
      raw = getRaw(key);
    } catch (error) {
      raw = undefined;
      const id = `${settingsSection}.${key}`;
      problems.push({ setting: id, message: `Setting \`${id}\` could not be read (${describeError(error)}). Using the default, ${JSON.stringify(definition.default)}.` });
    }
    if (raw === undefined || raw === null) {
      settings[key] = definition.schema.parse(definition.default);
      continue;
    }
    const parsed = definition.schema.safeParse(raw);
    if (parsed.success) {
      settings[key] = parsed.data;
    } else {
      settings[key] = definition.schema.parse(definition.default);
      const reason = parsed.error.issues.map(issue => issue.message).join('; ');
      problems.push({
        setting: `${settingsSection}.${key}`,
        message: `Setting \`${settingsSection}.${key}\` has an invalid value (${describeValue(raw)}): ${reason}. Using the default, ${JSON.stringify(definition.default)}.`,
      });
    }
  }
  return { settings: settings as AtoSettings, problems };
}

function describeValue(value: unknown): string {
  let text: unknown;
  try {
    text = JSON.stringify(value);
  } catch {
    return typeof value; // a bigint or a circular object: describe it, never throw
  }
  if (typeof text !== 'string') return typeof value;
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
