import {
  execute, type GraphQLError, type GraphQLFieldResolver, GraphQLError as GraphQLErrorClass, type GraphQLTypeResolver, Kind, OperationTypeNode, parse, validate,
} from 'graphql';
import { parseNodeId } from '../ids';
import type { FakeUser } from '../model';
import type { FakeRuntime } from '../runtime';
import { actorNode } from './actorNodes';
import { queryCost } from './cost';
import { type Args, gqlError, type GqlContext, type GqlObject, stringArg } from './gqlSupport';
import { issueOrPullNode, labelNode } from './issueNodes';
import { findIssue, findRepo, mutationRoot } from './mutations';
import { repositoryNode } from './repositoryNode';
import { fakeGraphqlSchema } from './schema';

export interface GraphqlOutcome {
  readonly status: number;
  readonly body: unknown;
  /** Rate-limit points spent (the query's cost). */
  readonly points: number;
  readonly operationName: string | undefined;
}

/** Fields the fake has no resolver for answer with this error instead of a silent null. */
const fieldResolver: GraphQLFieldResolver<unknown, GqlContext, Args> = (source, args, context, info) => {
  if (typeof source === 'object' && source !== null && info.fieldName in source) {
    const value: unknown = (source as Record<string, unknown>)[info.fieldName];
    return typeof value === 'function' ? (value as (args: Args, context: GqlContext) => unknown).call(source, args, context) : value;
  }
  throw gqlError(`${info.parentType.name}.${info.fieldName} is not implemented by the fake GitHub`, 'NOT_IMPLEMENTED');
};

const typeResolver: GraphQLTypeResolver<unknown, GqlContext> = value =>
  typeof value === 'object' && value !== null ? (value as GqlObject).__typename : undefined;

/** GitHub's error shape: `type` at the top level, then path, locations and message. */
function formatError(error: GraphQLError): Record<string, unknown> {
  const type = error.extensions['type'];
  return {
    ...(typeof type === 'string' ? { type } : {}),
    ...(error.path === undefined ? {} : { path: error.path }),
    ...(error.locations === undefined ? {} : { locations: error.locations }),
    message: error.message,
  };
}

function nodeFor(context: GqlContext, id: string): GqlObject | null {
  const issue = findIssue(context, id);
  if (issue !== undefined) return issueOrPullNode(context, issue.repo, issue.issue);
  const repo = findRepo(context, id);
  if (repo !== undefined) return repositoryNode(context, repo);
  const user = context.rt.users.byNodeId(id);
  if (user !== undefined) return actorNode(context, user);
  if (parseNodeId(id)?.kind === 'Label') {
    for (const candidate of context.rt.repos.values()) {
      const label = [...candidate.data.labels.values()].find(entry => entry.nodeId === id);
      if (label !== undefined) return labelNode(context, candidate, label);
    }
  }
  throw gqlError(`Could not resolve to a node with the global id of '${id}'`, 'NOT_FOUND');
}

function queryRoot(context: GqlContext): GqlObject {
  return {
    repository: (args: Args) => {
      const owner = stringArg(args, 'owner') ?? '';
      const name = stringArg(args, 'name') ?? '';
      const repo = context.rt.repo(owner, name);
      if (repo === undefined) throw gqlError(`Could not resolve to a Repository with the name '${owner}/${name}'.`, 'NOT_FOUND');
      return repositoryNode(context, repo);
    },
    rateLimit: () => {
      const budget = context.rt.limiter.budget('graphql');
      return { cost: context.cost.cost, limit: budget.limit, remaining: budget.remaining, used: budget.used, nodeCount: context.cost.nodeCount, resetAt: new Date(budget.reset * 1000).toISOString().replace('.000Z', 'Z') };
    },
    viewer: () => actorNode(context, context.viewer),
    user: (args: Args) => {
      const user = context.rt.users.find(stringArg(args, 'login') ?? '');
      if (user === undefined) throw gqlError(`Could not resolve to a User with the login of '${String(args['login'])}'.`, 'NOT_FOUND');
      return actorNode(context, user);
    },
    node: (args: Args) => nodeFor(context, stringArg(args, 'id') ?? ''),
    nodes: (args: Args) => (Array.isArray(args['ids']) ? (args['ids'] as unknown[]).map(id => nodeFor(context, String(id))) : []),
  };
}

function errorsOnly(errors: readonly GraphQLError[], points: number, operationName: string | undefined): GraphqlOutcome {
  return { status: 200, body: { errors: errors.map(formatError) }, points, operationName };
}

/** Answers one `POST /graphql` body over the fake's state; spends the query's cost from the graphql budget. */
export async function executeGraphql(rt: FakeRuntime, viewer: FakeUser, body: unknown): Promise<GraphqlOutcome> {
  const request = (typeof body === 'object' && body !== null ? body : {}) as Args;
  const source = stringArg(request, 'query');
  const operationName = stringArg(request, 'operationName');
  const variables = (typeof request['variables'] === 'object' && request['variables'] !== null ? request['variables'] : {}) as Args;
  if (source === undefined) return { status: 400, body: { message: 'A query attribute must be specified and must be a string.', documentation_url: 'https://docs.github.com/graphql' }, points: 0, operationName };
  let document;
  try {
    document = parse(source);
  } catch (error) {
    return errorsOnly([error instanceof GraphQLErrorClass ? error : new GraphQLErrorClass(String(error))], 0, operationName);
  }
  const name = operationName ?? document.definitions.find(definition => definition.kind === Kind.OPERATION_DEFINITION)?.name?.value;
  const schema = fakeGraphqlSchema();
  const invalid = validate(schema, document);
  if (invalid.length > 0) return errorsOnly(invalid, 0, name);
  const cost = queryCost(schema, document, operationName, variables);
  if (cost.errors.length > 0) return errorsOnly(cost.errors, 0, name);
  if (!rt.limiter.spend('graphql', cost.cost)) {
    return errorsOnly([gqlError(`API rate limit already exceeded for user ID ${viewer.id}.`, 'RATE_LIMITED')], 0, name);
  }
  const context: GqlContext = { rt, viewer, cost };
  const isMutation = document.definitions.some(definition => definition.kind === Kind.OPERATION_DEFINITION && definition.operation === OperationTypeNode.MUTATION
    && (operationName === undefined || definition.name?.value === operationName));
  const result = await execute({
    schema, document, operationName, variableValues: variables, contextValue: context,
    rootValue: isMutation ? mutationRoot(context) : queryRoot(context), fieldResolver, typeResolver,
  });
  return {
    status: 200,
    body: { ...(result.data === undefined ? {} : { data: result.data }), ...(result.errors === undefined ? {} : { errors: result.errors.map(formatError) }) },
    points: cost.cost,
    operationName: name,
  };
}
