import { join } from 'node:path';
import type { FakeClock } from './clock';
import type { FakeRequest } from './fakeGitHub';
import { FaultList } from './faults';
import { BareRepo, type RefMap } from './git/bareRepo';
import { type IdSequence, nodeId } from './ids';
import type { FakeRepoData, FakeUser } from './model';
import { RateLimiter } from './rateLimit';
import type { ParsedScenario, ScenarioRepo } from './scenario';
import type { UserRegistry } from './users';

/** Base URLs the fake's bodies point at: the API, web pages (`html_url`) and git. */
export class Urls {
  constructor(readonly base: string) {}

  api(path: string): string {
    return `${this.base}${path}`;
  }

  html(path: string): string {
    return `${this.base}${path}`;
  }

  git(owner: string, repo: string): string {
    return `${this.base}/${owner}/${repo}.git`;
  }

  repoApi(repo: FakeRepoData, rest = ''): string {
    return this.api(`/repos/${repo.owner}/${repo.name}${rest}`);
  }

  repoHtml(repo: FakeRepoData, rest = ''): string {
    return this.html(`/${repo.owner}/${repo.name}${rest}`);
  }
}

/** One repository: its records and its bare git repository, with a cache of its refs. */
export class RepoRuntime {
  private cached: RefMap | undefined;
  private loading: Promise<RefMap> | undefined;

  constructor(readonly data: FakeRepoData, readonly git: BareRepo, private readonly onRefsLoaded: (repo: RepoRuntime, refs: RefMap) => void) {}

  get fullName(): string {
    return `${this.data.owner}/${this.data.name}`;
  }

  /** All refs, read once per change: the fake's own writes and every push invalidate the cache. */
  async refs(): Promise<RefMap> {
    if (this.cached !== undefined) return this.cached;
    this.loading ??= this.git.readRefs().then(refs => {
      this.loading = undefined;
      this.cached = refs;
      this.onRefsLoaded(this, refs);
      return refs;
    });
    return this.loading;
  }

  invalidateRefs(): void {
    this.cached = undefined;
  }

  async branchSha(branch: string): Promise<string | undefined> {
    return (await this.refs()).get(`refs/heads/${branch}`)?.sha;
  }
}

/** Everything a request handler or the simulator needs: state, clock, ids, users, budgets, faults. */
export class FakeRuntime {
  readonly repos = new Map<string, RepoRuntime>();
  readonly requests: FakeRequest[] = [];
  readonly faults = new FaultList();
  /** Paths of log downloads that arrived with an Authorization header (a token sent to another host). */
  readonly leakedTokenRequests: string[] = [];
  readonly limiter: RateLimiter;
  readonly tokenUser: FakeUser;
  readonly token: string;
  onRefsLoaded: (repo: RepoRuntime, refs: RefMap) => void = () => undefined;

  constructor(
    readonly scenario: ParsedScenario,
    readonly clock: FakeClock,
    readonly ids: IdSequence,
    readonly users: UserRegistry,
    readonly urls: Urls,
    readonly dataDir: string,
    readonly validateRequests: boolean,
  ) {
    this.limiter = new RateLimiter({ core: scenario.rateLimit?.core ?? 5000, graphql: scenario.rateLimit?.graphql ?? 5000 });
    this.tokenUser = users.define(scenario.user?.login ?? 'octocat', scenario.user?.name ?? null);
    this.token = scenario.token ?? 'fake-github-token';
  }

  repo(owner: string, name: string): RepoRuntime | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  /** The fork of `parent` owned by `owner` (`owner/<parent's name>`), made on first use: the head repository of cross-repository PRs. */
  async fork(parent: RepoRuntime, owner: string): Promise<RepoRuntime> {
    const existing = this.repo(owner, parent.data.name);
    if (existing !== undefined) return existing;
    return this.addRepo({ owner, name: parent.data.name, defaultBranch: parent.data.defaultBranch, private: parent.data.isPrivate, collaborators: [] }, parent.fullName);
  }

  /** The scenario's first repository: the one the simulator acts on unless told otherwise. */
  get defaultRepo(): RepoRuntime {
    const first = this.repos.values().next();
    if (first.done === true) throw new Error('the scenario has no repository');
    return first.value;
  }

  get gitRoot(): string {
    return join(this.dataDir, 'git');
  }

  /** Creates a repository's records and its bare git repository (empty: the caller seeds it). */
  async addRepo(spec: ScenarioRepo, forkOf?: string): Promise<RepoRuntime> {
    const id = this.ids.next('repository');
    const now = this.clock.now();
    const owner = this.users.get(spec.owner, spec.owner === this.tokenUser.login ? 'User' : 'Organization');
    const data: FakeRepoData = {
      owner: owner.login,
      name: spec.name,
      id,
      nodeId: nodeId('Repository', id),
      defaultBranch: spec.defaultBranch ?? 'main',
      isPrivate: spec.private ?? false,
      description: spec.description ?? null,
      copilotEnabled: spec.copilot ?? false,
      createdAt: now,
      pushedAt: now,
      updatedAt: now,
      protection: new Map(Object.entries(spec.branchProtection ?? {}).map(([branch, rule]) => [branch, {
        requiredStatusChecks: [...(rule.requiredStatusChecks ?? [])],
        requiredApprovingReviewCount: rule.requiredApprovingReviewCount ?? 0,
        requireCodeOwnerReviews: rule.requireCodeOwnerReviews ?? false,
        ...(rule.requireUpToDate === true ? { requireUpToDate: true } : {}),
      }])),
      labels: new Map(),
      issues: new Map(),
      nextNumber: 1,
      comments: [],
      events: [],
      reviews: [],
      checkSuites: [],
      checkRuns: [],
      statuses: [],
      deployments: [],
      deploymentStatuses: [],
      reviewComments: [],
      ci: null,
      ciSeenDefaultSha: undefined,
      copilotAnswers: null,
      collaborators: new Set([this.tokenUser.login, ...(owner.type === 'User' ? [owner.login] : []), ...(spec.collaborators ?? [])].map(login => login.toLowerCase())),
      forkOf,
    };
    const git = await BareRepo.create(join(this.gitRoot, data.owner, `${data.name}.git`), join(this.dataDir, 'tmp'), data.defaultBranch);
    const repo = new RepoRuntime(data, git, (target, refs) => {
      this.onRefsLoaded(target, refs);
    });
    this.repos.set(repo.fullName.toLowerCase(), repo);
    return repo;
  }
}
