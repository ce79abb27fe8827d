import assert from 'node:assert/strict';
import * as documents from '../../../../../src/core/forges/github/graphqlDocuments';

type Validate = (query: string) => readonly { readonly message: string }[];

/** Every exported GraphQL document, by export name. */
const graphqlDocuments = Object.entries(documents).filter((entry): entry is [string, string] =>
  typeof entry[1] === 'string' && /^\s*(query|mutation)\s/.test(entry[1]));

describe('GraphQL documents against GitHub\'s public schema (@octokit/graphql-schema)', function () {
  this.timeout(30_000);
  let validate: Validate;

  before(async () => {
    // ESM-only package: a dynamic import works from the CommonJS test.
    ({ validate } = await import('@octokit/graphql-schema'));
  });

  it('finds the documents', () => {
    assert.deepEqual(graphqlDocuments.map(([name]) => name).sort(), ['markReadyForReviewMutation', 'pullRequestQuery', 'snapshotQuery', 'suggestedActorsQuery']);
  });

  for (const [name, document] of graphqlDocuments) {
    it(`${name} is valid, but for the allow-listed preview fields`, () => {
      const errors = validate(document).map(error => error.message);
      const unexpected = errors.filter(message => !documents.previewFieldErrors.includes(message));
      assert.deepEqual(unexpected, []);
    });
  }

  it('the allow-list is exactly what the documents use (a preview field that became public must leave it)', () => {
    const reported = new Set(graphqlDocuments.flatMap(([, document]) => validate(document).map(error => error.message)));
    assert.deepEqual([...reported].sort(), [...documents.previewFieldErrors].sort());
  });

  it('the check has teeth: a misspelt field is reported', () => {
    const broken = documents.pullRequestQuery.replace('headRefOid', 'headRefSha');
    assert.ok(validate(broken).some(error => error.message.includes('headRefSha')));
  });
});
