import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildASTSchema, type DocumentNode, type GraphQLSchema, Kind, parse } from 'graphql';

let publicDocument: DocumentNode | undefined;
let fakeSchemaCache: GraphQLSchema | undefined;
let publicSchemaCache: GraphQLSchema | undefined;

/** The preview fields the fake adds to GitHub's public schema (SDL). */
export function previewSdl(): string {
  return readFileSync(join(__dirname, 'previewFields.graphql'), 'utf8');
}

/**
 * What the fake serves: GitHub's public schema plus the preview fields, built once per process. GitHub's
 * schema.graphql defines a few fields twice, so SDL validation is skipped (`assumeValidSDL`).
 */
export function fakeGraphqlSchema(): GraphQLSchema {
  fakeSchemaCache ??= buildASTSchema({ kind: Kind.DOCUMENT, definitions: [...publicSchemaDocument().definitions, ...parse(previewSdl()).definitions] }, { assumeValidSDL: true });
  return fakeSchemaCache;
}

/** GitHub's public schema alone, as `@octokit/graphql-schema` ships it. */
export function publicGraphqlSchema(): GraphQLSchema {
  publicSchemaCache ??= buildASTSchema(publicSchemaDocument(), { assumeValidSDL: true });
  return publicSchemaCache;
}

function publicSchemaDocument(): DocumentNode {
  publicDocument ??= parse(readFileSync(publicSchemaPath(), 'utf8'), { noLocation: true });
  return publicDocument;
}

/** The package exports only its ESM entry, so its schema file is found through the module search paths. */
function publicSchemaPath(): string {
  for (const directory of require.resolve.paths('@octokit/graphql-schema') ?? []) {
    const candidate = join(directory, '@octokit', 'graphql-schema', 'schema.graphql');
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('@octokit/graphql-schema is not installed (npm install)');
}
