import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from './clock';
import { automaticCi } from './domain/automaticCi';
import { addAssignees, closeIssue, createIssue, ensureLabel } from './domain/issues';
import { syncPullHeads } from './domain/pulls';
import type { FaultInjector } from './faults';
import type { CommitInfo } from './git/bareRepo';
import { fakeGraphqlSchema } from './graphql/schema';
import { controlApi } from './http/controlApi';
import { ApiServer } from './http/apiServer';
import { Router } from './http/router';
import { IdSequence } from './ids';
import type {
  BranchProtection, FakeCheckRun, FakeCheckSuite, FakeComment, FakeEvent, FakeIssue, FakeLabel, FakePull, FakeReview, FakeStatus,
} from './model';
import { isPull } from './model';
import { openApiValidator } from './openapiValidator';
import { actionsRoutes } from './rest/actionsRoutes';
import { checkRoutes } from './rest/checkRoutes';
import { contentRoutes } from './rest/contentRoutes';
import { deploymentRoutes } from './rest/deploymentRoutes';
import { gitRoutes } from './rest/gitRoutes';
import { issueRoutes } from './rest/issueRoutes';
import { pullRoutes } from './rest/pullRoutes';
import { repoRoutes } from './rest/repoRoutes';
import { reviewRoutes } from './rest/reviewRoutes';
import { FakeRuntime, type RepoRuntime, Urls } from './runtime';
import { loadScenario, type Scenario, type ScenarioRepo } from './scenario';
import { FakeSimulator, type Simulator } from './simulator';
import { UserRegistry } from './users';

export interface FakeGitHubOptions {
  /** A scenario object, or the path of a `.yaml`/`.yml`/`.json` scenario file (see README). */
  scenario: Scenario | string;
  /** Default: a free port. */
  port?: number;
  /** Where the bare repositories live. Default: a temporary folder removed on `stop()`. */
  dataDir?: string;
  /** Default true: JSON request bodies are checked against GitHub's OpenAPI description (422 if invalid). */
  validateRequests?: boolean;
}

/** One request the fake answered (control API calls are not recorded). */
export interface FakeRequest {
  readonly method: string;
  /** The path without the query. */
  readonly path: string;
  /** The query string with its `?`, or ''. */
  readonly query: string;
  readonly status: number;
  /** Rate-limit points spent: 1 per REST answer (0 for a 304), the query's cost for GraphQL, 0 for git. */
  readonly points: number;
  readonly resource: 'core' | 'graphql' | 'git';
  /** REST: the OpenAPI operation the route implements. */
  readonly operationId?: string;
  /** GraphQL: the operation's name, when it has one. */
  readonly graphqlOperationName?: string;
  /** git: what the request authenticated with (GitHub's git takes the token as a Basic password). */
  readonly gitCredentials?: 'token' | 'other' | 'none';
}

/** Read access to one repository's state, for assertions. */
export interface FakeRepoState {
  readonly owner: string;
  readonly name: string;
  readonly defaultBranch: string;
  readonly gitDir: string;
  /** Issues only (no pull requests), by number. */
  readonly issues: readonly FakeIssue[];
  readonly pulls: readonly FakePull[];
  /** An issue or a pull request. */
  issue(number: number): FakeIssue | undefined;
  pull(number: number): FakePull | undefined;
  /** Comments of one issue or PR, or of all. */
  comments(number?: number): readonly FakeComment[];
  /** Events of one issue or PR (REST names), or of all. */
  events(number?: number): readonly FakeEvent[];
  reviews(pullNumber?: number): readonly FakeReview[];
  readonly labels: readonly FakeLabel[];
  readonly checkRuns: readonly FakeCheckRun[];
  readonly checkSuites: readonly FakeCheckSuite[];
  readonly statuses: readonly FakeStatus[];
  readonly protection: ReadonlyMap<string, BranchProtection>;
  /** Every ref and its sha, read from the bare repository now. */
  refs(): Promise<Readonly<Record<string, string>>>;
  /** A fully qualified ref's sha (`refs/heads/main`), or undefined. */
  ref(name: string): Promise<string | undefined>;
  /** A file's text at a branch, tag or sha, or undefined. */
  readFile(ref: string, path: string): Promise<string | undefined>;
  commit(sha: string): Promise<CommitInfo | undefined>;
}

export interface FakeState {
  readonly repos: readonly FakeRepoState[];
  /** One repository; without arguments, the scenario's first. Throws when unknown. */
  repo(owner?: string, name?: string): FakeRepoState;
  /** Job-log downloads that carried an Authorization header to the log host (a token sent to another host). */
  readonly leakedTokenRequests: readonly string[];
}

export interface FakeGitHub {
  /** `http://127.0.0.1:<port>`: the REST root; GraphQL at `${apiUrl}/graphql`. */
  readonly apiUrl: string;
  /** `http://127.0.0.1:<port>/<owner>/<repo>.git`: real git smart HTTP (clone, fetch, push). */
  gitUrl(owner: string, repo: string): string;
  /** The scenario's token: REST and GraphQL want `authorization: token <it>` (or `bearer`). */
  readonly token: string;
  readonly requests: readonly FakeRequest[];
  resetRequests(): void;
  readonly faults: FaultInjector;
  readonly simulate: Simulator;
  readonly state: FakeState;
  stop(): Promise<void>;
}

/** Date of every scenario's initial commit, so its sha depends only on the files. */
const initialCommitDate = '2026-01-01T00:00:00Z';

export async function startFakeGitHub(options: FakeGitHubOptions): Promise<FakeGitHub> {
  const scenario = await loadScenario(options.scenario);
  // Built once per process, here rather than on a first request that a client's timeout would see.
  fakeGraphqlSchema();
  if (options.validateRequests ?? true) openApiValidator();
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? await mkdtemp(join(tmpdir(), 'fake-github-'));
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      resolve();
    });
  });
  const urls = new Urls(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  const clock = new FakeClock(scenario.startTime);
  const rt = new FakeRuntime(scenario, clock, new IdSequence(), new UserRegistry(scenario.startTime ?? initialCommitDate), urls, dataDir, options.validateRequests ?? true);
  rt.onRefsLoaded = (repo, refs) => {
    syncPullHeads(rt, repo, refs);
    automaticCi(rt, repo, refs);
  };
  try {
    for (const spec of scenario.repos) await seedRepo(rt, spec);
  } catch (error) {
    server.close();
    if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const router = new Router([...repoRoutes, ...issueRoutes, ...pullRoutes, ...reviewRoutes, ...checkRoutes, ...actionsRoutes, ...deploymentRoutes, ...contentRoutes, ...gitRoutes]);
  server.on('request', new ApiServer(rt, router, controlApi(rt)).handle);
  return {
    apiUrl: urls.base,
    gitUrl: (owner, repo) => urls.git(owner, repo),
    token: rt.token,
    requests: rt.requests,
    resetRequests: () => {
      rt.requests.length = 0;
    },
    faults: rt.faults,
    simulate: new FakeSimulator(rt, rt.defaultRepo),
    state: stateView(rt),
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>(resolve => {
        server.close(() => {
          resolve();
        });
      });
      if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function seedRepo(rt: FakeRuntime, spec: ScenarioRepo): Promise<void> {
  const repo = await rt.addRepo(spec);
  const identity = { name: 'Fake GitHub', email: 'fake-github@example.invalid', date: initialCommitDate };
  const changes = [];
  for (const [path, text] of Object.entries(spec.files ?? {})) {
    changes.push({ path, mode: '100644', type: 'blob' as const, sha: await repo.git.writeBlob(Buffer.from(text, 'utf8')) });
  }
  const tree = await repo.git.writeTree(undefined, changes);
  const commit = await repo.git.commitTree(tree, [], 'Initial commit\n', identity);
  await repo.git.updateRef(`refs/heads/${repo.data.defaultBranch}`, commit, null);
  repo.invalidateRefs();
  for (const label of spec.labels ?? []) ensureLabel(rt, repo.data, label.name, (label.color ?? 'ededed').toLowerCase(), label.description ?? null);
  for (const seed of spec.issues ?? []) {
    const author = seed.author ?? rt.tokenUser.login;
    const issue = createIssue(rt, repo, { title: seed.title, body: seed.body ?? null, author, labels: seed.labels ?? [] });
    addAssignees(rt, repo, issue, seed.assignees ?? [], author);
    if (seed.state === 'closed') closeIssue(rt, repo, issue, author, seed.stateReason ?? 'completed');
  }
}

function repoState(repo: RepoRuntime): FakeRepoState {
  const data = repo.data;
  const byNumber = <T extends { readonly issueNumber: number }>(items: readonly T[], number?: number): readonly T[] =>
    number === undefined ? [...items] : items.filter(item => item.issueNumber === number);
  return {
    owner: data.owner,
    name: data.name,
    defaultBranch: data.defaultBranch,
    gitDir: repo.git.gitDir,
    get issues() { return [...data.issues.values()].filter(issue => !isPull(issue)); },
    get pulls() { return [...data.issues.values()].filter(isPull); },
    issue: number => data.issues.get(number),
    pull: number => {
      const issue = data.issues.get(number);
      return issue !== undefined && isPull(issue) ? issue : undefined;
    },
    comments: number => byNumber(data.comments, number),
    events: number => byNumber(data.events, number),
    reviews: number => (number === undefined ? [...data.reviews] : data.reviews.filter(review => review.pullNumber === number)),
    get labels() { return [...data.labels.values()]; },
    get checkRuns() { return [...data.checkRuns]; },
    get checkSuites() { return [...data.checkSuites]; },
    get statuses() { return [...data.statuses]; },
    protection: data.protection,
    refs: async () => Object.fromEntries([...await repo.git.readRefs()].map(([name, value]) => [name, value.sha])),
    ref: name => repo.git.readRef(name),
    readFile: async (ref, path) => {
      const commit = await repo.git.resolveCommit(ref);
      const entry = commit === undefined ? undefined : await repo.git.entryAt(commit, path);
      return entry?.type === 'blob' ? (await repo.git.readBlob(entry.sha)).toString('utf8') : undefined;
    },
    commit: sha => repo.git.readCommit(sha),
  };
}

function stateView(rt: FakeRuntime): FakeState {
  return {
    get repos() { return [...rt.repos.values()].map(repoState); },
    leakedTokenRequests: rt.leakedTokenRequests,
    repo: (owner, name) => {
      const repo = owner === undefined ? rt.defaultRepo : rt.repo(owner, name ?? '');
      if (repo === undefined) throw new Error(`No repository ${owner ?? ''}/${name ?? ''} in the scenario`);
      return repoState(repo);
    },
  };
}
