import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import * as z from 'zod/mini';
import '../../../src/shared/zod';

const labelSchema = z.object({
  name: z.string(),
  color: z.optional(z.string().check(z.regex(/^[0-9a-fA-F]{6}$/, 'must be six hex digits'))),
  description: z.optional(z.string()),
});

const protectionSchema = z.object({
  /** Check run names or status contexts that must pass before merging. */
  requiredStatusChecks: z.optional(z.array(z.string())),
  requiredApprovingReviewCount: z.optional(z.int().check(z.minimum(0))),
  /** Files CODEOWNERS (on the base branch) assigns need an approval from an owner with write access. */
  requireCodeOwnerReviews: z.optional(z.boolean()),
  /** "Require branches to be up to date before merging" (GitHub's `strict`): a PR whose head lacks the base's tip is BEHIND. */
  requireUpToDate: z.optional(z.boolean()),
});

const seedIssueSchema = z.object({
  title: z.string(),
  body: z.optional(z.string()),
  labels: z.optional(z.array(z.string())),
  assignees: z.optional(z.array(z.string())),
  author: z.optional(z.string()),
  state: z.optional(z.enum(['open', 'closed'])),
  stateReason: z.optional(z.enum(['completed', 'not_planned'])),
});

const repoSchema = z.object({
  owner: z.string().check(z.regex(/^[A-Za-z0-9-]+$/, 'must be a GitHub login')),
  name: z.string().check(z.regex(/^[A-Za-z0-9._-]+$/, 'must be a repository name')),
  defaultBranch: z.optional(z.string()),
  private: z.optional(z.boolean()),
  description: z.optional(z.string()),
  /** Copilot coding agent enabled: `copilot-swe-agent` is assignable and listed first by `suggestedActors`. */
  copilot: z.optional(z.boolean()),
  /** Files of the initial commit on the default branch: path → text. */
  files: z.optional(z.record(z.string(), z.string())),
  labels: z.optional(z.array(labelSchema)),
  /** Branch name → protection rule. */
  branchProtection: z.optional(z.record(z.string(), protectionSchema)),
  /** Other logins with write access (assignable, can review). The token's user always has it. */
  collaborators: z.optional(z.array(z.string())),
  issues: z.optional(z.array(seedIssueSchema)),
});

export const scenarioSchema = z.object({
  /** What clients send as `authorization: token <it>` or `bearer <it>`. */
  token: z.optional(z.string().check(z.minLength(1))),
  /** The token's user. */
  user: z.optional(z.object({ login: z.string(), name: z.optional(z.string()) })),
  /** Points per hour: REST requests (`core`) and GraphQL query cost (`graphql`). */
  rateLimit: z.optional(z.object({ core: z.optional(z.int().check(z.minimum(0))), graphql: z.optional(z.int().check(z.minimum(0))) })),
  /** A fixed start time makes every timestamp and commit sha the same on each run (each reading is +1 s). */
  startTime: z.optional(z.iso.datetime()),
  repos: z.array(repoSchema).check(z.minLength(1, 'needs at least one repository')),
});

export type Scenario = z.input<typeof scenarioSchema>;
export type ScenarioRepo = z.output<typeof repoSchema>;
export type ParsedScenario = z.output<typeof scenarioSchema>;

export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
  readonly kind = 'scenario';
}

/** Reads a scenario object, or a `.yaml`/`.yml`/`.json` file, and checks it. */
export async function loadScenario(scenario: Scenario | string): Promise<ParsedScenario> {
  let raw: unknown = scenario;
  if (typeof scenario === 'string') {
    const text = await readFile(scenario, 'utf8');
    raw = scenario.endsWith('.json') ? JSON.parse(text) as unknown : parseYaml(text) as unknown;
  }
  const parsed = scenarioSchema.safeParse(raw);
  if (!parsed.success) {
    const reasons = parsed.error.issues.map(issue => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`);
    throw new ScenarioError(`Invalid fake GitHub scenario${typeof scenario === 'string' ? ` ${scenario}` : ''}: ${reasons.join('; ')}`);
  }
  return parsed.data;
}
