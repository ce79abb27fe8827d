import { GraphQLError } from 'graphql';
import type { FakeUser } from '../model';
import type { FakeRuntime } from '../runtime';

/** Per-request context of a GraphQL execution. */
export interface GqlContext {
  readonly rt: FakeRuntime;
  readonly viewer: FakeUser;
  /** This query's cost and node count (for `rateLimit`). */
  readonly cost: { readonly cost: number; readonly nodeCount: number };
}

/** A resolved object: keys are GraphQL field names; a function value is called with the field's arguments. */
export type GqlObject = Readonly<Record<string, unknown>> & { readonly __typename?: string };

export type Args = Readonly<Record<string, unknown>>;

/** An error GitHub reports with a `type` (NOT_FOUND, FORBIDDEN, UNPROCESSABLE, ...). */
export function gqlError(message: string, type: string): GraphQLError {
  return new GraphQLError(message, { extensions: { type } });
}

export function intArg(args: Args, name: string): number | undefined {
  const value = args[name];
  return typeof value === 'number' ? value : undefined;
}

export function stringArg(args: Args, name: string): string | undefined {
  const value = args[name];
  return typeof value === 'string' ? value : undefined;
}

export function listArg(args: Args, name: string): readonly string[] | undefined {
  const value = args[name];
  return Array.isArray(value) ? value.map(String) : undefined;
}

const cursorOf = (index: number): string => Buffer.from(`cursor:v2:${index}`).toString('base64');

function indexOf(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  const match = /^cursor:v2:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  if (match === null) throw gqlError(`\`${cursor}\` does not appear to be a valid cursor.`, 'INVALID_CURSOR_ARGUMENTS');
  return Number(match[1]);
}

/** A GraphQL connection over `items` honouring first/last/after/before; nodes are built only when asked for. */
export function connection<T>(items: readonly T[], args: Args, toNode: (item: T) => unknown, extra: GqlObject = {}): GqlObject {
  const after = indexOf(stringArg(args, 'after'));
  const before = indexOf(stringArg(args, 'before'));
  let start = after === undefined ? 0 : after + 1;
  let end = before === undefined ? items.length : Math.min(before, items.length);
  const first = intArg(args, 'first');
  const last = intArg(args, 'last');
  if (first !== undefined) end = Math.min(end, start + first);
  if (last !== undefined) start = Math.max(start, end - last);
  const indexes = [...Array(Math.max(0, end - start)).keys()].map(offset => start + offset);
  return {
    totalCount: items.length,
    nodes: () => indexes.map(index => toNode(items[index] as T)),
    edges: () => indexes.map(index => ({ cursor: cursorOf(index), node: toNode(items[index] as T) })),
    pageInfo: {
      hasNextPage: end < items.length,
      hasPreviousPage: start > 0,
      startCursor: indexes.length === 0 ? null : cursorOf(start),
      endCursor: indexes.length === 0 ? null : cursorOf(end - 1),
    },
    ...extra,
  };
}

/** GraphQL upper-case enum value from a REST lower-case one (`not_planned` → `NOT_PLANNED`). */
export function enumValue(value: string): string {
  return value.toUpperCase();
}

/** `ReviewRequestedEvent` → `REVIEW_REQUESTED_EVENT`: the timeline item-type enum of a typename. */
export function itemTypeOf(typename: string): string {
  return typename.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}
