import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { agentDocs, builtInAgentIds, frontmatterFields, frontmatterKeys, taskPriorityDocs, taskTypeDocs } from '../../../../src/core/tasks/frontmatterFields';
import { taskFrontmatterJsonSchema } from '../../../../src/core/tasks/frontmatterSchema';
import { parseTaskFile } from '../../../../src/core/tasks/parseTaskFile';
import { taskPriorities, taskTypes } from '../../../../src/core/tasks/taskTypes';
import { agentAliases, matchPriority, matchTaskType, priorityAliases, typeAliases } from '../../../../src/core/tasks/valueAliases';

interface PropertySchema {
  readonly description?: string;
  readonly enum?: readonly string[];
  readonly enumDescriptions?: readonly string[];
  readonly anyOf?: readonly PropertySchema[];
}

interface FrontmatterSchema {
  readonly $schema: string;
  readonly properties: Readonly<Record<string, PropertySchema>>;
  readonly additionalProperties: boolean;
}

const schemaFile = 'schemas/task-frontmatter.schema.json';

describe('task frontmatter JSON schema', () => {
  let schema: FrontmatterSchema;
  before(async () => {
    schema = JSON.parse(await readFile(schemaFile, 'utf8')) as FrontmatterSchema;
  });

  it(`${schemaFile} is exactly what the TS table generates (regenerate it from taskFrontmatterJsonSchema())`, () => {
    assert.deepEqual(schema, taskFrontmatterJsonSchema());
  });

  it('is draft-07, lists exactly the parser’s keys, and forbids others', () => {
    assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
    assert.deepEqual(Object.keys(schema.properties), [...frontmatterKeys]);
    assert.equal(schema.additionalProperties, false);
  });

  it('has the canonical enums of type, priority and the built-in agents', () => {
    assert.deepEqual(schema.properties['type']?.enum, [...taskTypes]);
    assert.deepEqual(schema.properties['priority']?.enum, [...taskPriorities]);
    assert.deepEqual(schema.properties['agent']?.anyOf?.[0]?.enum, [...builtInAgentIds]);
  });

  it('describes every key and every enum value', () => {
    for (const key of frontmatterKeys) assert.ok((schema.properties[key]?.description ?? '').length > 20, key);
    assert.deepEqual(schema.properties['type']?.enumDescriptions, taskTypes.map(type => taskTypeDocs[type]));
    assert.deepEqual(schema.properties['priority']?.enumDescriptions, taskPriorities.map(priority => taskPriorityDocs[priority]));
    assert.deepEqual(schema.properties['agent']?.anyOf?.[0]?.enumDescriptions, builtInAgentIds.map(agent => agentDocs[agent]));
    for (const description of [...Object.values(taskTypeDocs), ...Object.values(taskPriorityDocs), ...Object.values(agentDocs)]) assert.ok(description.length > 10);
  });

  it('the table’s example for every key parses cleanly', () => {
    for (const key of frontmatterKeys) {
      const result = parseTaskFile(`---\n${key}: ${frontmatterFields[key].example}\n---\n# T\nx\n`, 'example.task.md');
      assert.deepEqual(result.diagnostics, [], key);
    }
  });

  it('every alias leads to a canonical value, and reads as an alias', () => {
    for (const [alias, type] of typeAliases) {
      assert.ok((taskTypes as readonly string[]).includes(type));
      assert.deepEqual(matchTaskType(alias), { kind: 'alias', value: type }, alias);
    }
    for (const [alias, priority] of priorityAliases) assert.deepEqual(matchPriority(alias), { kind: 'alias', value: priority }, alias);
    for (const agent of agentAliases.values()) assert.ok((builtInAgentIds as readonly string[]).includes(agent));
  });
});
