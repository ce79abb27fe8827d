import type { TreeChange } from '../git/bareRepo';
import { type FakeComment, type FakeIssue, headRefOf, isPull } from '../model';
import type { FakeRuntime, RepoRuntime } from '../runtime';
import { copilotAppSlug, copilotLogin, isCopilot } from '../users';
import { addEvent } from './issues';

const mention = /(^|[^\w-])@copilot\b/i;

/**
 * The Copilot coding agent answering a comment on its own pull request that mentions `@copilot` (as on GitHub:
 * it starts a session, pushes a commit to the PR's branch and finishes). What it pushes is set with
 * `simulate.copilotAnswersMentions(files)`; without it Copilot stays silent. Returns the new head, if any.
 */
export async function copilotAnswersMention(rt: FakeRuntime, repo: RepoRuntime, issue: FakeIssue, comment: FakeComment): Promise<string | undefined> {
  const files = repo.data.copilotAnswers;
  if (files === null || !isPull(issue) || issue.state !== 'open' || !isCopilot(issue.author) || isCopilot(comment.author) || !mention.test(comment.body)) return undefined;
  addEvent(rt, repo, issue, { event: 'copilot_work_started', actor: copilotLogin, viaApp: copilotAppSlug });
  const ref = headRefOf(issue.pull);
  repo.invalidateRefs();
  const parent = (await repo.refs()).get(ref)?.sha;
  if (parent === undefined) return undefined;
  const changes: TreeChange[] = [];
  for (const [path, content] of Object.entries(files)) changes.push({ path, mode: '100644', type: 'blob', sha: await repo.git.writeBlob(Buffer.from(content, 'utf8')) });
  const tree = await repo.git.writeTree(parent, changes);
  const date = rt.clock.now();
  const sha = await repo.git.commitTree(tree, [parent], `Address review feedback\n\nAsked in comment ${String(comment.id)}.\n`, { name: 'copilot-swe-agent[bot]', email: '198982749+Copilot@users.noreply.github.com', date });
  if (!await repo.git.updateRef(ref, sha, parent)) return undefined;
  repo.invalidateRefs();
  repo.data.pushedAt = date;
  await repo.refs();
  addEvent(rt, repo, issue, { event: 'copilot_work_finished', actor: copilotLogin, viaApp: copilotAppSlug });
  return sha;
}
