import { strict as assert } from 'node:assert';
import { parse } from 'graphql';
import { queryCost } from '../../fakes/github/graphql/cost';
import { fakeGraphqlSchema } from '../../fakes/github/graphql/schema';

function cost(query: string, variables: Record<string, unknown> = {}, operationName?: string): ReturnType<typeof queryCost> {
  return queryCost(fakeGraphqlSchema(), parse(query), operationName, variables);
}

describe('fake GitHub: GraphQL query cost (GitHub\'s documented formula)', function () {
  this.timeout(30_000);

  it('scores GitHub\'s worked example: 1 + 100 + 5,000 requests → 51 points; 305,100 nodes', () => {
    const result = cost(`query { viewer { login repositories(first: 100) { edges { node { id
      issues(first: 50) { edges { node { id labels(first: 60) { edges { node { id name } } } } } } } } } } }`);
    assert.deepEqual([result.cost, result.nodeCount, result.errors.length], [51, 305_100, 0]);
  });

  it('counts connections reached through fragments, inline fragments and variables', () => {
    const result = cost(`query Q($n: Int!) { viewer { ...Repos } }
      fragment Repos on User { repositories(first: $n) { nodes { pullRequests(last: 20) { nodes { ... on PullRequest { comments(first: 10) { totalCount } } } } } } }`, { n: 50 }, 'Q');
    // 1 (repositories) + 50 (their pull requests) + 1,000 (their comments) = 1,051 requests.
    assert.deepEqual([result.cost, result.nodeCount], [11, 50 + 1000 + 10_000]);
  });

  it('costs at least 1 point, and fields that are not connections cost nothing', () => {
    assert.equal(cost('{ rateLimit { cost } viewer { login } }').cost, 1);
    assert.equal(cost('{ repository(owner: "o", name: "r") { pullRequests(first: 100) { nodes { title } } } }').cost, 1);
  });

  it('reports GitHub\'s pagination errors: a connection without first/last, or more than 100', () => {
    const missing = cost('{ viewer { repositories { totalCount } } }');
    assert.deepEqual(missing.errors.map(error => [error.message, error.extensions['type']]), [
      ['You must provide a `first` or `last` value to properly paginate the `repositories` connection.', 'MISSING_PAGINATION_BOUNDARIES'],
    ]);
    const excessive = cost('{ viewer { repositories(last: 250) { totalCount } } }');
    assert.deepEqual(excessive.errors.map(error => error.extensions['type']), ['EXCESSIVE_PAGINATION']);
  });
});
