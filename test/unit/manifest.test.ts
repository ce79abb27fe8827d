import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { settingDefinitions, settingsSection, userOnlySettings } from '../../src/core/settings/settings';
import { commandIds, contextKeys, treeItemContexts, viewIds } from '../../src/core/views/commandIds';
import { plainText } from '../../src/shared/codeSpans';

interface CommandContribution {
  readonly command: string;
  readonly title?: string;
  readonly category?: string;
  readonly icon?: unknown;
}

interface Manifest {
  readonly activationEvents?: readonly string[];
  readonly capabilities?: {
    readonly untrustedWorkspaces?: { readonly supported?: unknown; readonly restrictedConfigurations?: readonly string[] };
  };
  readonly contributes: {
    readonly walkthroughs?: readonly { readonly id: string; readonly steps: readonly { readonly id: string; readonly description: string; readonly media: { readonly markdown?: string }; readonly completionEvents?: readonly string[] }[] }[];
    readonly configuration: readonly { readonly properties: Readonly<Record<string, { readonly default?: unknown; readonly scope?: string }>> }[];
    readonly commands: readonly CommandContribution[];
    readonly menus?: Readonly<Record<string, readonly { readonly command?: string; readonly when?: string }[]>>;
    readonly views?: Readonly<Record<string, readonly { readonly id: string; readonly when?: string }[]>>;
    readonly viewsContainers?: Readonly<Record<string, readonly { readonly id: string }[]>>;
    readonly viewsWelcome?: readonly { readonly view: string; readonly contents: string; readonly when?: string }[];
  };
}

const repoRoot = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Manifest;
const contributes = manifest.contributes;
const commandIdValues: readonly string[] = Object.values(commandIds);
const contributedCommands = contributes.commands.map(c => c.command);

function sorted(values: Iterable<string>): string[] {
  return [...values].sort();
}

describe('package.json manifest', () => {
  describe('configuration', () => {
    const properties = Object.assign({}, ...contributes.configuration.map(section => section.properties)) as Manifest['contributes']['configuration'][number]['properties'];

    it('declares exactly the settings the code reads', () => {
      assert.deepEqual(sorted(Object.keys(properties)), sorted(Object.keys(settingDefinitions).map(key => `${settingsSection}.${key}`)));
    });

    it('scopes to machine exactly the settings the code reads from the user only (a repository cannot set them)', () => {
      const machine = Object.entries(properties).filter(([, property]) => property.scope === 'machine' || property.scope === 'application').map(([key]) => key);
      assert.deepEqual(sorted(machine), sorted([...userOnlySettings].map(key => `${settingsSection}.${key}`)));
      assert.ok(userOnlySettings.has('github.apiUrl'));
      // Whom ATO trusts besides people with write access: a cloned repository must not widen it.
      for (const key of ['loop.agentAccounts', 'loop.allowForkPullRequests'] as const) assert.ok(userOnlySettings.has(key), key);
    });

    it('declares the same default as the code for every setting', () => {
      for (const [key, definition] of Object.entries(settingDefinitions)) {
        assert.deepEqual(properties[`${settingsSection}.${key}`]?.default, definition.default, key);
      }
    });
  });

  describe('commands', () => {
    it('contributes every command id in commandIds, and no other', () => {
      const missing = commandIdValues.filter(id => !contributedCommands.includes(id));
      const extra = contributedCommands.filter(id => !commandIdValues.includes(id));
      assert.deepEqual({ missing, extra }, { missing: [], extra: [] });
      assert.equal(new Set(contributedCommands).size, contributedCommands.length, 'a command is contributed twice');
    });

    it('gives every command the ATO category, a title and a codicon', () => {
      for (const command of contributes.commands) {
        assert.equal(command.category, 'ATO', command.command);
        assert.ok(typeof command.title === 'string' && command.title.length > 0, command.command);
        assert.ok(typeof command.icon === 'string' && /^\$\([a-z0-9-]+\)$/.test(command.icon), `${command.command} has icon ${String(command.icon)}`);
      }
    });

    it('refers only to contributed commands in menus', () => {
      for (const [menu, items] of Object.entries(contributes.menus ?? {})) {
        for (const item of items) {
          if (item.command !== undefined) assert.ok(contributedCommands.includes(item.command), `${menu} refers to ${item.command}`);
        }
      }
    });

    it('links only to contributed ato commands from welcome views', () => {
      const links = (contributes.viewsWelcome ?? []).flatMap(welcome => [...welcome.contents.matchAll(/\(command:(ato\.[A-Za-z0-9.]+)/g)].map(match => match[1] ?? ''));
      assert.ok(links.length > 0, 'the welcome views link to ATO commands');
      for (const link of links) assert.ok(contributedCommands.includes(link), `viewsWelcome links to unknown command ${link}`);
    });
  });

  describe('views', () => {
    it('contributes the views and the container named in viewIds', () => {
      const container = (contributes.viewsContainers?.['activitybar'] ?? []).map(c => c.id);
      assert.deepEqual(container, [viewIds.container]);
      const views = Object.values(contributes.views ?? {}).flat().map(v => v.id);
      assert.deepEqual(sorted(views), sorted([viewIds.controlPanel, viewIds.tree]));
      assert.deepEqual(Object.keys(contributes.views ?? {}), [viewIds.container]);
    });

    it('writes welcome content and walkthrough steps as plain text: they render links, not code spans', () => {
      const texts = [...(contributes.viewsWelcome ?? []).map(welcome => welcome.contents), ...(contributes.walkthroughs ?? []).flatMap(walkthrough => walkthrough.steps.map(step => step.description))];
      assert.ok(texts.length > 5);
      for (const text of texts) assert.equal(plainText(text), text, `a code span would show its ticks: ${text}`);
    });

    it('puts welcome content only on contributed views', () => {
      for (const welcome of contributes.viewsWelcome ?? []) assert.ok(Object.values(viewIds).includes(welcome.view as never), welcome.view);
    });

    it('uses only known context keys and view ids in when clauses', () => {
      const known = new Set<string>([...Object.values(contextKeys), ...Object.values(viewIds), ...Object.values(treeItemContexts)]);
      const clauses = [
        ...(contributes.viewsWelcome ?? []).map(w => w.when),
        ...Object.values(contributes.menus ?? {}).flat().map(m => m.when),
        ...Object.values(contributes.views ?? {}).flat().map(v => v.when),
      ].filter((when): when is string => when !== undefined);
      assert.ok(clauses.length > 0);
      for (const when of clauses) {
        for (const [name] of when.matchAll(/\bato\.[A-Za-z0-9.]+/g)) assert.ok(known.has(name), `unknown context key ${name} in "${when}"`);
      }
    });
  });

  describe('activation and trust', () => {
    it('never activates on every event', () => {
      assert.ok(!(manifest.activationEvents ?? []).includes('*'));
    });

    it('supports untrusted workspaces in limited mode, restricting every API URL setting', () => {
      const untrusted = manifest.capabilities?.untrustedWorkspaces;
      assert.equal(untrusted?.supported, 'limited');
      const apiUrlSettings = Object.keys(settingDefinitions).filter(key => key.endsWith('.apiUrl')).map(key => `${settingsSection}.${key}`);
      assert.ok(apiUrlSettings.length >= 4);
      const restricted = untrusted.restrictedConfigurations ?? [];
      for (const setting of apiUrlSettings) assert.ok(restricted.includes(setting), `${setting} is not restricted`);
      for (const setting of restricted) assert.ok(Object.hasOwn(settingDefinitions, setting.replace(/^ato\./, '')), `${setting} is not a setting`);
    });
  });

  describe('walkthrough', () => {
    it('links only to contributed commands, completes on them, and ships its media', () => {
      const steps = (contributes.walkthroughs ?? []).flatMap(walkthrough => walkthrough.steps);
      assert.ok(steps.length >= 4);
      for (const step of steps) {
        for (const [, command] of step.description.matchAll(/\(command:([\w.]+)\)/g)) assert.ok(contributedCommands.includes(command ?? ''), `${step.id}: ${command ?? ''}`);
        for (const event of step.completionEvents ?? []) assert.ok(contributedCommands.includes(event.replace(/^onCommand:/, '')), `${step.id}: ${event}`);
        const media = step.media.markdown;
        assert.ok(media !== undefined && existsSync(join(repoRoot, media)), `${step.id}: ${media ?? 'no media'}`);
      }
    });
  });
});
