import { readFileSync } from 'node:fs';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * Checks JSON bodies against GitHub's own OpenAPI description (`@octokit/openapi`, pinned). Loads only
 * `generated/api.github.com.json` (13 MB; the package's index loads ~400 MB), once per process.
 */
export interface OpenApiValidator {
  /**
   * The schema of one operation's JSON response for a status (by operationId, e.g. `pulls/get`). A status
   * the description lists without a JSON body (e.g. the 422 of `pulls/request-reviewers`) accepts any body.
   */
  response(operationId: string, status: number): ValidateFunction;
  /** The schema of one operation's JSON request body, or undefined when it takes none. */
  requestBody(operationId: string): ValidateFunction | undefined;
  /** A named schema under `components.schemas` (e.g. `labeled-issue-event`). */
  component(name: string): ValidateFunction;
  hasOperation(operationId: string): boolean;
}

interface Operation {
  readonly operationId?: string;
  readonly responses?: Record<string, { readonly $ref?: string; readonly content?: Record<string, unknown> }>;
  readonly requestBody?: { readonly content?: Record<string, unknown> };
}

interface Spec {
  readonly paths: Record<string, Record<string, Operation>>;
}

const root = 'https://api.github.com/openapi.json';

/** OpenAPI 3.0 `nullable: true` → a JSON Schema null type (Ajv accepts `nullable` only next to `type`). */
function oas30ToJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(oas30ToJsonSchema);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) out[key] = key === 'example' || key === 'examples' ? value : oas30ToJsonSchema(value);
  if (out['nullable'] !== true) return out;
  delete out['nullable'];
  if (typeof out['type'] === 'string') {
    out['type'] = [out['type'], 'null'];
    const values = out['enum'];
    if (Array.isArray(values) && !values.includes(null)) out['enum'] = [...(values as unknown[]), null];
    return out;
  }
  return { anyOf: [out, { type: 'null' }] };
}

const pointer = (segment: string): string => segment.replace(/~/g, '~0').replace(/\//g, '~1');

let cached: OpenApiValidator | undefined;

export function openApiValidator(): OpenApiValidator {
  cached ??= createValidator();
  return cached;
}

function createValidator(): OpenApiValidator {
  const spec = JSON.parse(readFileSync(require.resolve('@octokit/openapi/generated/api.github.com.json'), 'utf8')) as Spec;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  // GitHub's own format for `owner/name` (pulls/create `head_repo`).
  ajv.addFormat('repo.nwo', /^[^/\s]+\/[^/\s]+$/);
  ajv.addSchema({ ...(oas30ToJsonSchema(spec) as object), $id: root, $defs: { any: {} } });
  const byOperation = new Map<string, { readonly path: string; readonly method: string; readonly operation: Operation }>();
  for (const [path, operations] of Object.entries(spec.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      if (operation.operationId !== undefined) byOperation.set(operation.operationId, { path, method, operation });
    }
  }
  const compiled = new Map<string, ValidateFunction>();
  const compile = (key: string, ref: string): ValidateFunction => {
    let validate = compiled.get(key);
    if (validate === undefined) {
      validate = ajv.compile({ $ref: ref });
      compiled.set(key, validate);
    }
    return validate;
  };
  const find = (operationId: string): { readonly path: string; readonly method: string; readonly operation: Operation } => {
    const found = byOperation.get(operationId);
    if (found === undefined) throw new Error(`No operation ${operationId} in GitHub's OpenAPI description`);
    return found;
  };
  return {
    hasOperation: operationId => byOperation.has(operationId),
    response(operationId, status) {
      const { path, method, operation } = find(operationId);
      const response = operation.responses?.[String(status)];
      if (response === undefined) throw new Error(`${operationId} has no ${status} response in GitHub's OpenAPI description`);
      if (response.$ref === undefined && response.content?.['application/json'] === undefined) return compile('any', root + '#/$defs/any');
      const ref = response.$ref !== undefined
        ? `${root}${response.$ref}/content/application~1json/schema`
        : `${root}#/paths/${pointer(path)}/${method}/responses/${status}/content/application~1json/schema`;
      return compile(`${operationId} ${status}`, ref);
    },
    requestBody(operationId) {
      const { path, method, operation } = find(operationId);
      if (operation.requestBody?.content?.['application/json'] === undefined) return undefined;
      return compile(`${operationId} request`, `${root}#/paths/${pointer(path)}/${method}/requestBody/content/application~1json/schema`);
    },
    component: name => compile(`component ${name}`, `${root}#/components/schemas/${pointer(name)}`),
  };
}

/** Ajv's errors as one readable line each: `/path: message`. */
export function describeErrors(errors: readonly ErrorObject[] | null | undefined): string {
  return (errors ?? []).map(error => `${error.instancePath || '(body)'} ${error.message ?? error.keyword}${error.keyword === 'required' || error.keyword === 'additionalProperties' ? ` ${JSON.stringify(error.params)}` : ''}`).join('\n');
}
