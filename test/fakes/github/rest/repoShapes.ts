import type { FakeRepoData } from '../model';
import type { FakeRuntime } from '../runtime';
import { userByLogin } from './userShapes';

/** REST `minimal-repository` fields: the URLs and identity every repository object carries. */
export function repositoryCore(rt: FakeRuntime, repo: FakeRepoData): Record<string, unknown> {
  const api = rt.urls.repoApi(repo);
  return {
    id: repo.id,
    node_id: repo.nodeId,
    name: repo.name,
    full_name: `${repo.owner}/${repo.name}`,
    owner: userByLogin(rt, repo.owner),
    private: repo.isPrivate,
    html_url: rt.urls.repoHtml(repo),
    description: repo.description,
    fork: repo.forkOf !== undefined,
    url: api,
    archive_url: `${api}/{archive_format}{/ref}`,
    assignees_url: `${api}/assignees{/user}`,
    blobs_url: `${api}/git/blobs{/sha}`,
    branches_url: `${api}/branches{/branch}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    comments_url: `${api}/comments{/number}`,
    commits_url: `${api}/commits{/sha}`,
    compare_url: `${api}/compare/{base}...{head}`,
    contents_url: `${api}/contents/{+path}`,
    contributors_url: `${api}/contributors`,
    deployments_url: `${api}/deployments`,
    downloads_url: `${api}/downloads`,
    events_url: `${api}/events`,
    forks_url: `${api}/forks`,
    git_commits_url: `${api}/git/commits{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    git_url: rt.urls.git(repo.owner, repo.name).replace(/^http/, 'git'),
    issue_comment_url: `${api}/issues/comments{/number}`,
    issue_events_url: `${api}/issues/events{/number}`,
    issues_url: `${api}/issues{/number}`,
    keys_url: `${api}/keys{/key_id}`,
    labels_url: `${api}/labels{/name}`,
    languages_url: `${api}/languages`,
    merges_url: `${api}/merges`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    pulls_url: `${api}/pulls{/number}`,
    releases_url: `${api}/releases{/id}`,
    ssh_url: `git@127.0.0.1:${repo.owner}/${repo.name}.git`,
    stargazers_url: `${api}/stargazers`,
    statuses_url: `${api}/statuses/{sha}`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    tags_url: `${api}/tags`,
    teams_url: `${api}/teams`,
    trees_url: `${api}/git/trees{/sha}`,
    hooks_url: `${api}/hooks`,
  };
}

/** REST `repository` (what pull request heads and bases embed). */
export function repositoryShape(rt: FakeRuntime, repo: FakeRepoData): Record<string, unknown> {
  const openIssues = [...repo.issues.values()].filter(issue => issue.state === 'open').length;
  return {
    ...repositoryCore(rt, repo),
    clone_url: rt.urls.git(repo.owner, repo.name),
    mirror_url: null,
    svn_url: rt.urls.repoHtml(repo),
    homepage: null,
    language: null,
    forks_count: 0,
    forks: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    size: 1,
    default_branch: repo.defaultBranch,
    open_issues_count: openIssues,
    open_issues: openIssues,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: repo.isPrivate ? 'private' : 'public',
    pushed_at: repo.pushedAt,
    created_at: repo.createdAt,
    updated_at: repo.updatedAt,
    permissions: { admin: true, maintain: true, push: true, triage: true, pull: true },
    allow_rebase_merge: true,
    allow_squash_merge: true,
    allow_merge_commit: true,
    allow_auto_merge: false,
    delete_branch_on_merge: false,
    allow_update_branch: true,
    allow_forking: true,
    web_commit_signoff_required: false,
    license: null,
  };
}

/** REST `full-repository`: `GET /repos/{owner}/{repo}`. */
export function fullRepositoryShape(rt: FakeRuntime, repo: FakeRepoData): Record<string, unknown> {
  return {
    ...repositoryShape(rt, repo),
    network_count: 0,
    subscribers_count: 0,
    squash_merge_commit_title: 'COMMIT_OR_PR_TITLE',
    squash_merge_commit_message: 'COMMIT_MESSAGES',
    merge_commit_title: 'MERGE_MESSAGE',
    merge_commit_message: 'PR_TITLE',
    use_squash_pr_title_as_default: false,
  };
}
