import assert from 'node:assert/strict';
import { buildPanelModel, type PanelButton, type PanelModel } from '../../../webview-ui/src/panelModel';
import { isMutatingMessage, type PanelSnapshot } from '../../../src/shared/protocol';
import { Redactor } from '../../../src/core/logging/redactor';
import { buildPanelSnapshot } from '../../../src/core/state/panelSnapshot';
import { anAtoState, planningExamples, planningKinds } from '../../support/stateBuilders';

function snapshot(overrides: Partial<PanelSnapshot> = {}): PanelSnapshot {
  return {
    workspaceName: 'repo',
    trusted: true,
    planning: { kind: 'ready', path: '/repo/planning', queue: { pending: 4, processed: 1, complete: 9 } },
    auth: { github: 'none', githubAccount: null, gitlab: false, jules: false, anthropic: false },
    settingsProblems: [],
    queue: null,
    runs: [],
    needsYou: [],
    loop: buildPanelSnapshot(anAtoState(), new Redactor()).loop,
    agents: [],
    ...overrides,
  };
}

function planningSnapshot(kind: PanelSnapshot['planning']['kind']): PanelSnapshot['planning'] {
  const example = planningExamples[kind];
  return example.kind === 'partial' ? { ...example, missing: [...example.missing] } : example;
}

const buttons = (model: PanelModel): PanelButton[] => [...(model.notice === undefined ? [] : [model.notice]), ...model.sections, ...model.footer].flatMap(section => section.buttons);
const section = (model: PanelModel, id: string): PanelModel['sections'][number] | undefined => [...model.sections, ...model.footer].find(s => s.id === id);
const actions = (model: PanelModel, id: string): PanelButton['action'][] => section(model, id)?.buttons.map(b => b.action) ?? [];

describe('buildPanelModel', () => {
  const expectedPlanningActions: Readonly<Record<PanelSnapshot['planning']['kind'], PanelButton['action'][]>> = {
    noWorkspace: [],
    unknown: [],
    missing: ['initPlanningFolder'],
    partial: ['initPlanningFolder'],
    ready: ['newTask'],
    error: ['refresh'],
  };

  for (const kind of planningKinds) {
    it(`shows the planning folder with the right buttons: ${kind}`, () => {
      const model = buildPanelModel(snapshot({ planning: planningSnapshot(kind) }));
      const planning = section(model, 'planning');
      assert.ok(planning, 'there is always a planning section');
      assert.ok(planning.rows.length > 0);
      assert.deepEqual(actions(model, 'planning'), expectedPlanningActions[kind]);
    });
  }

  it('shows the queue counts of a ready folder', () => {
    const texts = section(buildPanelModel(snapshot()), 'planning')?.rows.map(r => r.text);
    assert.deepEqual(texts, ['4 pending', '1 dispatched', '9 complete']);
  });

  it('names what a partial folder lacks and why an error happened', () => {
    const partial = buildPanelModel(snapshot({ planning: { kind: 'partial', path: '/p', missing: ['vision/goal.md', 'reviews'] } }));
    assert.match(section(partial, 'planning')?.rows[0]?.text ?? '', /vision\/goal\.md, reviews/);
    const error = buildPanelModel(snapshot({ planning: { kind: 'error', path: '/p', message: 'EIO' } }));
    assert.equal(section(error, 'planning')?.rows[0]?.tone, 'error');
    assert.match(section(error, 'planning')?.rows[0]?.text ?? '', /EIO/);
  });

  describe('in Restricted Mode', () => {
    for (const kind of planningKinds) {
      it(`disables every mutating button, and only those (${kind})`, () => {
        const all = buttons(buildPanelModel(snapshot({ trusted: false, planning: planningSnapshot(kind) })));
        assert.ok(all.some(b => isMutatingMessage(b.message)), 'the case has mutating buttons');
        for (const button of all) {
          if (isMutatingMessage(button.message)) assert.match(button.disabledReason ?? '', /Restricted Mode/, button.action);
          else assert.equal(button.disabledReason, undefined, button.action);
        }
      });
    }

    it('shows a Restricted Mode badge', () => {
      assert.deepEqual(buildPanelModel(snapshot({ trusted: false })).badge, { text: 'Restricted Mode', tone: 'warning' });
    });

    it('says first, in words, that ATO shows state and takes no action, with an enabled Manage Workspace Trust button', () => {
      const trust = buildPanelModel(snapshot({ trusted: false })).notice;
      assert.equal(trust?.id, 'trust');
      assert.match(trust.rows[0]?.text ?? '', /ATO shows the planning folder and the loop's state but takes no action: it runs no agent, writes nothing and makes no request/);
      assert.deepEqual(trust.buttons.map(b => [b.action, b.label, b.message, b.disabledReason]), [['manageTrust', 'Manage Workspace Trust', { type: 'action', action: 'manageTrust' }, undefined]]);
      assert.equal(buildPanelModel(snapshot()).notice, undefined, 'not in a trusted workspace');
    });
  });

  it('enables every button in a trusted workspace', () => {
    for (const kind of planningKinds) {
      for (const button of buttons(buildPanelModel(snapshot({ planning: planningSnapshot(kind) })))) assert.equal(button.disabledReason, undefined, `${kind}/${button.action}`);
    }
  });

  it('offers sign-in only while GitHub is not connected', () => {
    const none = buildPanelModel(snapshot());
    assert.deepEqual(actions(none, 'accounts'), ['signInToGitHub', 'setGitHubToken']);
    assert.match(section(none, 'accounts')?.rows[0]?.text ?? '', /local mode/);
    const session = buildPanelModel(snapshot({ auth: { github: 'session', githubAccount: 'octocat', gitlab: true, jules: false, anthropic: true } }));
    assert.deepEqual(actions(session, 'accounts'), []);
    assert.deepEqual(section(session, 'accounts')?.rows.map(r => r.text), ['GitHub: signed in as octocat', 'GitLab token set', 'Jules API key not set', 'Anthropic API key set']);
    assert.deepEqual(actions(buildPanelModel(snapshot({ auth: { github: 'token', githubAccount: null, gitlab: false, jules: false, anthropic: false } })), 'accounts'), []);
  });

  it('lists settings problems and badges them', () => {
    const model = buildPanelModel(snapshot({ settingsProblems: [{ setting: 'ato.eventLog.maxFiles', message: 'Setting `ato.eventLog.maxFiles` is bad' }] }));
    assert.deepEqual(section(model, 'settings')?.rows.map(r => r.text), ['Setting `ato.eventLog.maxFiles` is bad']);
    assert.deepEqual(model.badge, { text: '1 settings problem', tone: 'warning' });
    assert.equal(section(buildPanelModel(snapshot()), 'settings'), undefined);
    assert.deepEqual(buildPanelModel(snapshot()).badge, { text: 'Trusted', tone: 'normal' });
  });

  it('always offers the tools, and titles the panel after the workspace', () => {
    assert.deepEqual(actions(buildPanelModel(snapshot()), 'tools'), ['doctor', 'showLog', 'refresh']);
    assert.equal(buildPanelModel(snapshot()).title, 'repo');
    assert.equal(buildPanelModel(snapshot({ workspaceName: null, planning: { kind: 'noWorkspace' } })).title, 'No folder open');
  });

  it('leaves the loop and red PRs to their own sections (loopModel, the red-PR list)', () => {
    const model = buildPanelModel(snapshot());
    assert.equal(section(model, 'loop'), undefined);
    assert.equal(section(model, 'redPrs'), undefined);
  });

  it('counts invalid task files next to the folder counts', () => {
    const withInvalid = snapshot({ queue: { revision: 1, counts: { pending: 4, processed: 1, complete: 9, invalid: 2 }, items: [] } });
    assert.deepEqual(section(buildPanelModel(withInvalid), 'planning')?.rows.map(r => r.text), ['4 pending', '1 dispatched', '9 complete', '2 invalid']);
  });

  it('gives every button a label and an icon, and section ids are unique', () => {
    const model = buildPanelModel(snapshot({ trusted: false, planning: planningSnapshot('missing'), settingsProblems: [{ setting: 'a', message: 'b' }] }));
    for (const button of buttons(model)) assert.ok(button.label.length > 0 && button.icon.length > 0);
    const ids = [...model.sections, ...model.footer].map(s => s.id);
    assert.equal(new Set(ids).size, ids.length);
  });
});
