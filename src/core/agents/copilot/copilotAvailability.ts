import { isGitHubError } from '../../forges/github/githubError';
import type { AssignableActor } from '../../forges/github/githubPort';
import type { AgentHealth } from '../agentBackend';
import { copilotActorLogin } from './copilotIdentity';

/** How long an availability answer is reused: enabling Copilot is rare, and the check costs a GraphQL query. */
export const defaultAvailabilityTtlMs = 5 * 60_000;

/** What the availability check reads (GraphQL `suggestedActors`). */
export interface AvailabilitySource {
  readonly repo: { readonly owner: string; readonly name: string };
  suggestedActors(): Promise<readonly AssignableActor[]>;
}

/** The agent is available iff an assignable actor has Copilot's login; its node id is never hard-coded. */
export function availabilityFrom(actors: readonly AssignableActor[], repo: { readonly owner: string; readonly name: string }): AgentHealth {
  const bot = actors.find(actor => actor.login.toLowerCase() === copilotActorLogin);
  const name = `${repo.owner}/${repo.name}`;
  return bot === undefined
    ? { ok: false, detail: `Copilot coding agent is not enabled for ${name} or this token's user` }
    : { ok: true, detail: `Copilot coding agent can be assigned in ${name}` };
}

/**
 * Caches the answer for `ttlMs`; failures to ask are not cached (the next health check asks again) and are
 * worded so a person knows what to fix.
 */
export class CopilotAvailability {
  private cached: { readonly health: AgentHealth; readonly at: number } | undefined;
  private inFlight: Promise<AgentHealth> | undefined;

  constructor(
    private readonly source: () => Promise<AvailabilitySource>,
    private readonly now: () => Date,
    private readonly ttlMs: number = defaultAvailabilityTtlMs,
  ) {}

  check(): Promise<AgentHealth> {
    const cached = this.cached;
    if (cached !== undefined && this.now().getTime() - cached.at < this.ttlMs) return Promise.resolve(cached.health);
    this.inFlight ??= this.ask().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** Forgets the cached answer (after an assignment GitHub refused, say). */
  invalidate(): void {
    this.cached = undefined;
  }

  private async ask(): Promise<AgentHealth> {
    try {
      const source = await this.source();
      const health = availabilityFrom(await source.suggestedActors(), source.repo);
      this.cached = { health, at: this.now().getTime() };
      return health;
    } catch (error) {
      return { ok: false, detail: describeAvailabilityError(error) };
    }
  }
}

function describeAvailabilityError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (isGitHubError(error, 'auth')) return `GitHub refused the token (${message}): sign in again or use a token with the repo scope`;
  if (isGitHubError(error, 'notFound')) return `the repository is not visible with this token (${message})`;
  if (isGitHubError(error, 'rateLimited')) return `GitHub's rate limit is exhausted; Copilot's availability is checked again later (${message})`;
  if (isGitHubError(error)) return `could not ask GitHub whether Copilot can be assigned (${error.kind}: ${message})`;
  return `could not ask GitHub whether Copilot can be assigned: ${message}`;
}
