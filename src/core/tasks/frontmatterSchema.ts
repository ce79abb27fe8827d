import { maxTimeoutMs } from './duration';
import { agentDocs, builtInAgentIds, frontmatterFields, frontmatterKeys, maxTaskBudgetUsd, taskPriorityDocs, taskTypeDocs, type FrontmatterKey } from './frontmatterFields';
import { maxTaskIdLength } from './taskIdRules';
import { taskPriorities, taskTypes } from './taskTypes';

/** JSON Schema regex for a task id (JSON Schema has no flags, so both cases are spelled out). */
export const taskIdSchemaPattern = '^[A-Za-z0-9][A-Za-z0-9._-]*$';
const durationSchemaPattern = '^\\s*(\\d+(\\.\\d+)?|(\\d+(\\.\\d+)?\\s*(ms|s|sec|secs|second|seconds|m|min|mins|minute|minutes|h|hr|hrs|hour|hours|d|day|days)\\s*)+)\\s*$';

function valueSchema(key: FrontmatterKey): Record<string, unknown> {
  switch (key) {
    case 'id':
      // The id names the branch ato/<id>: git refuses `..`, a `.lock` or `.` ending (taskIdRules has them all).
      return { type: 'string', pattern: taskIdSchemaPattern, maxLength: maxTaskIdLength, not: { pattern: '\\.\\.|\\.lock$|\\.$' } };
    case 'type':
      return { type: 'string', enum: [...taskTypes], enumDescriptions: taskTypes.map(type => taskTypeDocs[type]) };
    case 'priority':
      return { type: 'string', enum: [...taskPriorities], enumDescriptions: taskPriorities.map(priority => taskPriorityDocs[priority]) };
    case 'agent':
      return {
        type: 'string',
        anyOf: [
          { enum: [...builtInAgentIds], enumDescriptions: builtInAgentIds.map(agent => agentDocs[agent]) },
          { pattern: taskIdSchemaPattern, description: 'The id of a custom CLI agent declared in the settings.' },
        ],
      };
    case 'created':
      return { type: 'string', anyOf: [{ format: 'date-time' }, { format: 'date' }] };
    case 'depends_on':
      return {
        anyOf: [
          { type: 'array', items: { type: 'string', pattern: taskIdSchemaPattern }, uniqueItems: true, description: 'A list of task ids.' },
          { type: 'string', description: 'A single task id (or several separated by commas).' },
        ],
      };
    case 'cwd':
      return { type: 'string', minLength: 1, not: { pattern: '^([\\\\/~]|[A-Za-z]:)' } };
    case 'timeout':
      return {
        anyOf: [
          { type: 'string', pattern: durationSchemaPattern, description: 'A duration: `90s`, `30m`, `2h`, `1h30m`.' },
          { type: 'number', exclusiveMinimum: 0, maximum: maxTimeoutMs / 60_000, description: 'Minutes.' },
        ],
      };
    case 'budget_usd':
      return { type: 'number', minimum: 0, maximum: maxTaskBudgetUsd };
  }
}

/**
 * The JSON Schema (draft-07) of task-file frontmatter, built from the same table as completion and hover.
 * `schemas/task-frontmatter.schema.json` is this object, serialized; a unit test keeps the two equal.
 */
export function taskFrontmatterJsonSchema(): Record<string, unknown> {
  const properties = Object.fromEntries(frontmatterKeys.map(key => {
    const field = frontmatterFields[key];
    const schema: Record<string, unknown> = { description: `${field.summary}. ${field.description}`, ...valueSchema(key), examples: [field.example] };
    if (key === 'type') schema['default'] = 'feature';
    if (key === 'priority') schema['default'] = 'medium';
    if (key === 'agent') schema['default'] = 'auto';
    return [key, schema];
  }));
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'ATO task file frontmatter',
    description: 'The YAML between the `---` lines at the top of an ATO task file (planning/issue_queue/*/*.task.md). Every key is optional. ATO reads keys and enum values case-insensitively and accepts common aliases with a hint; this schema lists the canonical spellings.',
    type: 'object',
    properties,
    additionalProperties: false,
  };
}
