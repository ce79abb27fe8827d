import type { GitHubActor } from '../../forges/github/githubModel';

/** The login REST assignment takes (`assignees: ["copilot-swe-agent[bot]"]`). */
export const copilotAssigneeLogin = 'copilot-swe-agent[bot]';

/** The login `suggestedActors` lists when the coding agent is enabled for the repository and the token's user. */
export const copilotActorLogin = 'copilot-swe-agent';

/** Every spelling GitHub uses for the agent: REST PR author `Copilot`, GraphQL `copilot-swe-agent`, the `[bot]` assignee. */
const copilotLogins: ReadonlySet<string> = new Set(['copilot', copilotActorLogin, copilotAssigneeLogin]);

/** Whether a login names the Copilot coding agent (case-insensitive; never by numeric id, which differs per host). */
export function isCopilotLogin(login: string): boolean {
  return copilotLogins.has(login.toLowerCase());
}

/** The author of a PR is Copilot only when both the login and the type say so: a user named "copilot" is not. */
export function isCopilotActor(actor: GitHubActor): boolean {
  return actor.isBot && isCopilotLogin(actor.login);
}
