import * as z from 'zod/mini';
import '../../../shared/zod';
import { taskTypes } from '../../tasks/taskTypes';

/** Ids a custom agent cannot take: the built-in agents and `auto`. */
export const reservedAgentIds: ReadonlySet<string> = new Set(['auto', 'claude-code', 'claude', 'copilot', 'jules', 'custom']);

const variableName = /^[A-Za-z_][A-Za-z0-9_]*$/;

function requiredString(issue: { readonly input?: unknown }): string {
  return issue.input === undefined ? 'is required' : 'must be a string';
}

/**
 * One entry of the `ato.agents.custom` setting: any CLI agent (`codex exec`, `gemini`, `aider`, a
 * script). It runs in the task's worktree with the prompt on stdin; exit code 0 means success.
 */
export const customAgentSettingsSchema = z.strictObject({
  id: z.string({ error: requiredString }).check(
    z.regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'must be 1–64 characters: lowercase letters, digits, `.`, `_` or `-`, starting with a letter or digit'),
    z.refine(id => !reservedAgentIds.has(id), 'is reserved for a built-in agent (auto, claude-code, claude, copilot, jules, custom)'),
  ),
  command: z.string({ error: requiredString }).check(z.refine(command => command.trim() !== '', 'must name the program to run (a name on PATH or an absolute path)')),
  args: z._default(z.array(z.string({ error: 'each argument must be a string' }), { error: 'must be a list of strings' }), []),
  taskTypes: z._default(
    z.array(z.enum(taskTypes, { error: `must be one of ${taskTypes.join(', ')}` }), { error: 'must be a list of task types' }).check(z.minLength(1, 'must list at least one task type')),
    [...taskTypes],
  ),
  env: z._default(
    z.record(z.string(), z.string({ error: 'must be a string' }), { error: 'must be an object of variable names and string values' })
      .check(z.refine(env => Object.keys(env).every(name => variableName.test(name)), 'variable names must be letters, digits and `_`, not starting with a digit')),
    {},
  ),
  /** Names copied from ATO's environment (e.g. the agent's own API key), which agents otherwise never see. */
  inheritEnv: z._default(z.array(z.string().check(z.regex(variableName, 'must be an environment variable name')), { error: 'must be a list of variable names' }), []),
  concurrent: z._default(z.int({ error: 'must be a whole number' }).check(z.minimum(1, 'must be at least 1'), z.maximum(32, 'must be at most 32')), 1),
  timeoutMinutes: z._default(z.number({ error: 'must be a number' }).check(z.positive('must be more than 0'), z.maximum(24 * 60, 'must be at most 1440 (a day)')), 60),
}, { error: issue => (issue.code === 'invalid_type' ? 'must be an object with at least `id` and `command`' : undefined) });

export type CustomAgentSettings = z.output<typeof customAgentSettingsSchema>;

export interface CustomAgentsReadResult {
  readonly agents: readonly CustomAgentSettings[];
  /** One message per rejected entry, naming the setting, the entry and the field. */
  readonly problems: readonly string[];
}

export const customAgentsSetting = 'ato.agents.custom';

/**
 * Reads the `ato.agents.custom` setting (an array of entries). Each entry is validated on its own: a
 * bad one is left out with a message, the others are used. Never throws.
 */
export function readCustomAgents(raw: unknown): CustomAgentsReadResult {
  if (raw === undefined || raw === null) return { agents: [], problems: [] };
  if (!Array.isArray(raw)) return { agents: [], problems: [`\`${customAgentsSetting}\` must be a list of agents, not ${describe(raw)}.`] };
  const agents: CustomAgentSettings[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  raw.forEach((entry: unknown, index) => {
    const label = entryLabel(entry, index);
    const parsed = customAgentSettingsSchema.safeParse(entry);
    if (!parsed.success) {
      const reasons = parsed.error.issues.map(issue => (issue.path.length > 0 ? `\`${issue.path.map(String).join('.')}\` ${issue.message}` : issue.message));
      problems.push(`${label} was ignored: ${reasons.join('; ')}.`);
      return;
    }
    if (seen.has(parsed.data.id)) {
      problems.push(`${label} was ignored: another agent already has the id "${parsed.data.id}".`);
      return;
    }
    seen.add(parsed.data.id);
    agents.push(parsed.data);
  });
  return { agents, problems };
}

function entryLabel(entry: unknown, index: number): string {
  const id = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>)['id'] : undefined;
  return `\`${customAgentsSetting}[${index}]\`${typeof id === 'string' && id !== '' ? ` ("${id}")` : ''}`;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}
