import { checkRunsFor, checkSuitesFor, combinedState, latestStatuses, requiredChecks, rollupContexts, rollupState } from '../domain/checks';
import { reviewsRequired } from '../domain/mergeability';
import { pullOf } from '../domain/pulls';
import { nodeId, parseNodeId } from '../ids';
import type { FakeCheckRun, FakeCheckSuite, FakeStatus } from '../model';
import type { RepoRuntime } from '../runtime';
import { actorByLogin, appNode } from './actorNodes';
import { type Args, connection, enumValue, type GqlContext, type GqlObject, intArg, stringArg } from './gqlSupport';

/** `isRequired(pullRequestNumber | pullRequestId)`: branch protection of that PR's base requires this context. */
function isRequired(repo: RepoRuntime, name: string): (args: Args) => boolean {
  return args => {
    const byId = stringArg(args, 'pullRequestId');
    const number = intArg(args, 'pullRequestNumber') ?? (byId === undefined ? undefined : Number(parseNodeId(byId)?.key.split(':')[1]));
    const pull = number === undefined ? undefined : pullOf(repo.data, number);
    return pull !== undefined && requiredChecks(repo.data, pull.pull.baseRef).includes(name);
  };
}

export function checkRunNode(context: GqlContext, repo: RepoRuntime, run: FakeCheckRun): GqlObject {
  const suite = repo.data.checkSuites.find(candidate => candidate.id === run.suiteId);
  return {
    __typename: 'CheckRun',
    id: run.nodeId,
    databaseId: run.id,
    name: run.name,
    status: enumValue(run.status),
    conclusion: run.conclusion === null ? null : enumValue(run.conclusion),
    startedAt: run.startedAt,
    completedAt: run.completedAt,
    detailsUrl: run.detailsUrl,
    permalink: run.detailsUrl,
    url: run.detailsUrl,
    resourcePath: new URL(run.detailsUrl).pathname,
    externalId: '',
    title: null,
    summary: null,
    text: null,
    isRequired: isRequired(repo, run.name),
    checkSuite: () => (suite === undefined ? null : checkSuiteNode(context, repo, suite)),
  };
}

export function statusContextNode(context: GqlContext, repo: RepoRuntime, status: FakeStatus): GqlObject {
  return {
    __typename: 'StatusContext',
    id: status.nodeId,
    context: status.context,
    state: enumValue(status.state),
    targetUrl: status.targetUrl,
    description: status.description,
    createdAt: status.createdAt,
    creator: () => actorByLogin(context, status.creator),
    avatarUrl: () => null,
    isRequired: isRequired(repo, status.context),
    commit: () => commitNode(context, repo, status.sha),
  };
}

export function checkSuiteNode(context: GqlContext, repo: RepoRuntime, suite: FakeCheckSuite): GqlObject {
  const runs = repo.data.checkRuns.filter(run => run.suiteId === suite.id);
  return {
    __typename: 'CheckSuite',
    id: suite.nodeId,
    databaseId: suite.id,
    status: enumValue(suite.status),
    conclusion: suite.conclusion === null ? null : enumValue(suite.conclusion),
    createdAt: suite.createdAt,
    updatedAt: suite.updatedAt,
    url: context.rt.urls.repoHtml(repo.data, `/commit/${suite.headSha}/checks?check_suite_id=${suite.id}`),
    resourcePath: `/${repo.fullName}/commit/${suite.headSha}/checks?check_suite_id=${suite.id}`,
    app: () => appNode(context, context.rt.users.app(suite.app)),
    commit: () => commitNode(context, repo, suite.headSha),
    checkRuns: (args: Args) => connection(runs, args, run => checkRunNode(context, repo, run)),
    workflowRun: () => (suite.workflowRun === null ? null : {
      __typename: 'WorkflowRun', id: suite.workflowRun.nodeId, databaseId: suite.workflowRun.id, event: suite.workflowRun.event, runNumber: suite.workflowRun.id % 1000,
      createdAt: suite.createdAt, updatedAt: suite.updatedAt, url: context.rt.urls.repoHtml(repo.data, `/actions/runs/${suite.workflowRun.id}`),
      resourcePath: `/${repo.fullName}/actions/runs/${suite.workflowRun.id}`, checkSuite: () => checkSuiteNode(context, repo, suite),
    }),
  };
}

function rollupNode(context: GqlContext, repo: RepoRuntime, sha: string): GqlObject | null {
  const contexts = rollupContexts(repo.data, sha);
  const state = rollupState(contexts);
  if (state === null) return null;
  const runs = contexts.filter(item => item.kind === 'checkRun');
  return {
    __typename: 'StatusCheckRollup',
    id: nodeId('Commit', `${repo.data.id}:${sha}:rollup`),
    state,
    commit: () => commitNode(context, repo, sha),
    contexts: (args: Args) => connection(contexts, args, item => (item.kind === 'checkRun' ? checkRunNode(context, repo, item.run) : statusContextNode(context, repo, item.status)), {
      checkRunCount: runs.length,
      statusContextCount: contexts.length - runs.length,
    }),
  };
}

/** A commit: its git data read lazily, its checks from the fake's records. */
export function commitNode(context: GqlContext, repo: RepoRuntime, sha: string): GqlObject {
  const info = (() => {
    let read: ReturnType<RepoRuntime['git']['readCommit']> | undefined;
    return async () => {
      read ??= repo.git.readCommit(sha);
      const commit = await read;
      if (commit === undefined) throw new Error(`no commit ${sha}`);
      return commit;
    };
  })();
  return {
    __typename: 'Commit',
    id: nodeId('Commit', `${repo.data.id}:${sha}`),
    oid: sha,
    abbreviatedOid: sha.slice(0, 7),
    url: context.rt.urls.repoHtml(repo.data, `/commit/${sha}`),
    commitUrl: context.rt.urls.repoHtml(repo.data, `/commit/${sha}`),
    resourcePath: `/${repo.fullName}/commit/${sha}`,
    message: async () => (await info()).message.replace(/\n$/, ''),
    messageHeadline: async () => (await info()).message.split('\n')[0] ?? '',
    messageBody: async () => (await info()).message.split('\n').slice(2).join('\n').replace(/\n$/, ''),
    committedDate: async () => (await info()).committer.date,
    authoredDate: async () => (await info()).author.date,
    tree: async () => ({ __typename: 'Tree', oid: (await info()).tree, id: nodeId('Tree', `${repo.data.id}:${(await info()).tree}`) }),
    statusCheckRollup: () => rollupNode(context, repo, sha),
    status: () => {
      const statuses = latestStatuses(repo.data, sha);
      if (statuses.length === 0) return null;
      return { __typename: 'Status', id: nodeId('Commit', `${repo.data.id}:${sha}:status`), state: enumValue(combinedState(statuses)), contexts: statuses.map(status => statusContextNode(context, repo, status)) };
    },
    checkSuites: (args: Args) => connection(checkSuitesFor(repo.data, sha), args, suite => checkSuiteNode(context, repo, suite)),
    checkRunCount: checkRunsFor(repo.data, sha).length,
  };
}

/** A branch or other ref, with the protection rule that applies to it. */
export function refNode(context: GqlContext, repo: RepoRuntime, qualifiedName: string, sha: string): GqlObject {
  const match = /^(refs\/(?:heads|tags)\/)(.*)$/.exec(qualifiedName);
  const prefix = match?.[1] ?? 'refs/';
  const name = match?.[2] ?? qualifiedName.replace(/^refs\//, '');
  const rule = prefix === 'refs/heads/' ? repo.data.protection.get(name) : undefined;
  return {
    __typename: 'Ref',
    id: nodeId('Ref', `${repo.data.id}:${qualifiedName}`),
    name,
    prefix,
    target: () => commitNode(context, repo, sha),
    branchProtectionRule: () => (rule === undefined ? null : {
      __typename: 'BranchProtectionRule', id: nodeId('Ref', `${repo.data.id}:rule:${name}`), pattern: name,
      requiredStatusCheckContexts: rule.requiredStatusChecks, requiresStatusChecks: rule.requiredStatusChecks.length > 0,
      requiredApprovingReviewCount: rule.requiredApprovingReviewCount, requiresApprovingReviews: reviewsRequired(rule),
      requiresCodeOwnerReviews: rule.requireCodeOwnerReviews,
      requiresStrictStatusChecks: false, isAdminEnforced: false, allowsForcePushes: false, allowsDeletions: false,
    }),
    refUpdateRule: () => (rule === undefined ? null : {
      __typename: 'RefUpdateRule', pattern: name, requiredStatusCheckContexts: rule.requiredStatusChecks,
      requiredApprovingReviewCount: rule.requiredApprovingReviewCount, requiresCodeOwnerReviews: rule.requireCodeOwnerReviews, requiresConversationResolution: false,
      requiresLinearHistory: false, requiresSignatures: false, allowsDeletions: false, allowsForcePushes: false, blocksCreations: false,
      viewerAllowedToDismissReviews: true, viewerCanPush: true,
    }),
  };
}
