import {
  type ASTNode, type DocumentNode, type FragmentDefinitionNode, getNamedType, GraphQLError, type GraphQLNamedType, type GraphQLSchema, isCompositeType,
  isInterfaceType, isObjectType, Kind, type OperationDefinitionNode, OperationTypeNode, type SelectionSetNode, valueFromAST,
} from 'graphql';

export interface QueryCost {
  /** GitHub's rate-limit score: requests needed (see below) / 100, rounded, at least 1. */
  readonly cost: number;
  /** Nodes the query may return (GitHub refuses more than 500,000). */
  readonly nodeCount: number;
  /** GitHub's pagination rules: every connection needs `first` or `last`, each at most 100. */
  readonly errors: readonly GraphQLError[];
}

/**
 * GitHub's documented formula ("Rate limits and node limits for the GraphQL API"): each connection needs
 * as many requests as the product of the `first`/`last` values of the connections above it; the sum of
 * those requests divided by 100 and rounded is the score (minimum 1). The node count multiplies each
 * connection's own size in as well.
 */
export function queryCost(schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined, variables: Readonly<Record<string, unknown>>): QueryCost {
  const operations = document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName === undefined ? operations[0] : operations.find(candidate => candidate.name?.value === operationName);
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const errors: GraphQLError[] = [];
  let requests = 0;
  let nodes = 0;
  const rootType = operation === undefined ? undefined : operation.operation === OperationTypeNode.MUTATION ? schema.getMutationType() : schema.getQueryType();

  const visit = (selections: SelectionSetNode, parent: GraphQLNamedType, multiplier: number, seen: ReadonlySet<string>): void => {
    for (const selection of selections.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition === undefined ? parent : schema.getType(selection.typeCondition.name.value);
        if (type !== undefined) visit(selection.selectionSet, type, multiplier, seen);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        const type = fragment === undefined ? undefined : schema.getType(fragment.typeCondition.name.value);
        if (fragment !== undefined && type !== undefined && !seen.has(fragment.name.value)) visit(fragment.selectionSet, type, multiplier, new Set([...seen, fragment.name.value]));
        continue;
      }
      if (selection.name.value.startsWith('__') || !(isObjectType(parent) || isInterfaceType(parent))) continue;
      const field = parent.getFields()[selection.name.value];
      if (field === undefined) continue;
      const type = getNamedType(field.type);
      let childMultiplier = multiplier;
      if (type.name.endsWith('Connection') && field.args.some(arg => arg.name === 'first')) {
        const argument = (name: string): number | undefined => {
          const node = selection.arguments?.find(arg => arg.name.value === name);
          const definition = field.args.find(arg => arg.name === name);
          if (node === undefined || definition === undefined) return undefined;
          const value: unknown = valueFromAST(node.value, definition.type, variables);
          return typeof value === 'number' ? value : undefined;
        };
        const first = argument('first');
        const last = argument('last');
        const connection = selection.name.value;
        if (first === undefined && last === undefined) {
          errors.push(paginationError(`You must provide a \`first\` or \`last\` value to properly paginate the \`${connection}\` connection.`, 'MISSING_PAGINATION_BOUNDARIES', selection));
        }
        for (const [name, value] of [['first', first], ['last', last]] as const) {
          if (value !== undefined && (value > 100 || value < 0)) {
            errors.push(paginationError(`Requesting ${value} records on the \`${connection}\` connection exceeds the \`${name}\` limit of 100 records.`, 'EXCESSIVE_PAGINATION', selection));
          }
        }
        const size = Math.min(Math.max(first ?? last ?? 0, 0), 100);
        requests += multiplier;
        nodes += multiplier * size;
        childMultiplier = multiplier * size;
      }
      if (selection.selectionSet !== undefined && isCompositeType(type)) visit(selection.selectionSet, type, childMultiplier, seen);
    }
  };
  if (operation !== undefined && rootType !== null && rootType !== undefined) visit(operation.selectionSet, rootType, 1, new Set());
  if (nodes > 500_000) errors.push(new GraphQLError(`This query requests up to ${nodes} possible nodes which exceeds the maximum limit of 500,000.`, { extensions: { type: 'MAX_NODE_LIMIT_EXCEEDED' } }));
  return { cost: Math.max(1, Math.round(requests / 100)), nodeCount: nodes, errors };
}

function paginationError(message: string, type: string, node: ASTNode): GraphQLError {
  return new GraphQLError(message, { nodes: node, extensions: { type } });
}
