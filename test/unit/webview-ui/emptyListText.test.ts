import assert from 'node:assert/strict';
import { Redactor } from '../../../src/core/logging/redactor';
import { buildPanelSnapshot } from '../../../src/core/state/panelSnapshot';
import { emptyLoopListText, type LoopListId } from '../../../webview-ui/src/emptyListText';
import { aLoopState } from '../../support/loopStates';
import { anAtoState } from '../../support/stateBuilders';

const lists: readonly LoopListId[] = ['needsYou', 'redPrs', 'followedPrs'];

describe('what an empty loop list says', () => {
  it('in Restricted Mode, that Restricted Mode hides it, not that there is no GitHub remote', () => {
    for (const loop of [aLoopState({ mode: 'off', redPullRequests: [], followedPullRequests: [], needsYou: [] }), aLoopState({ mode: 'github' })]) {
      const snapshot = buildPanelSnapshot(anAtoState({ trusted: false, loop }), new Redactor());
      for (const list of lists) {
        const text = emptyLoopListText(snapshot, list);
        assert.match(text, /Restricted Mode hides/, list);
        assert.match(text, /until you trust this folder/, list);
        assert.doesNotMatch(text, /No GitHub remote/, list);
      }
    }
  });

  it('trusted, it follows the loop\'s mode', () => {
    const text = (mode: 'github' | 'local' | 'off', list: LoopListId) => emptyLoopListText(buildPanelSnapshot(anAtoState({ loop: aLoopState({ mode }) }), new Redactor()), list);
    assert.equal(text('off', 'redPrs'), 'No GitHub remote yet: red PRs appear here once the GitHub loop runs.');
    assert.equal(text('local', 'followedPrs'), 'Local mode: there are no pull requests to follow.');
    assert.equal(text('github', 'redPrs'), 'No red PRs: no open pull request has failing checks.');
    assert.equal(text('github', 'needsYou'), 'Nothing needs you.');
  });
});
