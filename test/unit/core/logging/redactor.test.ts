import assert from 'node:assert/strict';
import { describeError, redactedMarker, Redactor } from '../../../../src/core/logging/redactor';

const R = redactedMarker;

describe('Redactor', () => {
  describe('known secrets', () => {
    it('replaces every occurrence of a secret it was given', () => {
      const redactor = new Redactor();
      redactor.addSecret('s3cr3t-value');
      assert.equal(redactor.redact('a s3cr3t-value b s3cr3t-value'), `a ${R} b ${R}`);
      assert.equal(redactor.knownSecretCount, 1);
    });

    it('leaves text alone when it knows no secret', () => {
      assert.equal(new Redactor().redact('nothing to hide here'), 'nothing to hide here');
    });

    it('removes a secret that contains another one whole (longest first)', () => {
      const redactor = new Redactor();
      redactor.addSecret('abcdef123');
      redactor.addSecret('abcdef123456789');
      assert.equal(redactor.redact('x=abcdef123456789;y=abcdef123'), `x=${R};y=${R}`);
    });

    it('knows both the value as given and its trimmed form', () => {
      const redactor = new Redactor();
      redactor.addSecret('  pasted-key-value\n');
      assert.equal(redactor.knownSecretCount, 2);
      assert.equal(redactor.redact('key pasted-key-value used'), `key ${R} used`);
      assert.equal(redactor.redact('[  pasted-key-value\n]'), `[${R}]`);
    });

    it('ignores values too short to redact safely, and undefined', () => {
      const redactor = new Redactor();
      redactor.addSecret('abc');
      redactor.addSecret('  abcde  '); // trimmed form is 5 characters
      redactor.addSecret(undefined);
      redactor.addSecret('');
      assert.equal(redactor.knownSecretCount, 1); // only '  abcde  ' itself, which is 9 long
      assert.equal(redactor.redact('abc abcde'), 'abc abcde');
    });

    it('treats regular-expression characters in a secret literally', () => {
      const redactor = new Redactor();
      redactor.addSecret('a.b*c+(d)?$');
      assert.equal(redactor.redact('a.b*c+(d)?$'), R);
      assert.equal(redactor.redact('aXbbbc+d'), 'aXbbbc+d');
    });

    it('picks up a secret added after it has already redacted something', () => {
      const redactor = new Redactor();
      redactor.addSecret('first-secret');
      assert.equal(redactor.redact('second-secret'), 'second-secret');
      redactor.addSecret('second-secret');
      assert.equal(redactor.redact('first-secret second-secret'), `${R} ${R}`);
    });
  });

  describe('token shapes', () => {
    const cases: readonly [string, string, string][] = [
      ['GitHub classic token', `token ghp_${'a1B2'.repeat(9)} end`, `token ghp_${R} end`],
      ['GitHub OAuth token', `gho_${'Z'.repeat(36)}`, `gho_${R}`],
      ['GitHub app token', `ghs_${'9'.repeat(36)}`, `ghs_${R}`],
      ['GitHub fine-grained token', `github_pat_11ABCDEFG0_${'x'.repeat(59)}`, `github_pat_${R}`],
      ['GitLab token', `glpat-${'Ab-_'.repeat(5)}`, `glpat-${R}`],
      ['Anthropic key', `sk-ant-api03-${'k'.repeat(40)}`, `sk-ant-${R}`],
      ['Google API key', `key=AIza${'S'.repeat(35)}`, `key=AIza${R}`],
      ['Authorization: Bearer', 'Authorization: Bearer abc.def-ghi', `Authorization: Bearer ${R}`],
      ['authorization: token', 'authorization: token 0123456789', `authorization: token ${R}`],
      ['Authorization: Basic', 'Proxy-Authorization: Basic dXNlcjpwYXNz', `Proxy-Authorization: Basic ${R}`],
      ['authorization in JSON', '{"authorization":"Bearer xyz987"}', `{"authorization":"Bearer ${R}"}`],
      ['x-api-key header', 'x-api-key: my-anthropic-key', `x-api-key: ${R}`],
      ['X-Api-Key in JSON', '{"X-Api-Key":"abc123"}', `{"X-Api-Key":"${R}"}`],
      ['private-token header', 'private-token: tok-456', `private-token: ${R}`],
      ['x-goog-api-key header', 'x-goog-api-key: goog-1', `x-goog-api-key: ${R}`],
      ['api_key query', 'https://x.example/?page=2&api_key=qwerty', `https://x.example/?page=2&api_key=${R}`],
    ];
    for (const [label, input, expected] of cases) {
      it(`redacts, keeping the prefix: ${label}`, () => {
        assert.equal(new Redactor().redact(input), expected);
      });
    }

    it('leaves look-alikes that are too short, and ordinary words', () => {
      const text = 'ghp_short glpat-short sk-ant-x AIzaShort authorization header private tokens';
      assert.equal(new Redactor().redact(text), text);
    });

    it('keeps JSON literals after key-like names, so JSON stays valid', () => {
      const json = JSON.stringify({ 'jules.apiKey': true, 'anthropic.apiKey': false, access_token: null, api_key: 'real-value' }, null, 2);
      const redacted = new Redactor().redact(json);
      assert.deepEqual(JSON.parse(redacted), { 'jules.apiKey': true, 'anthropic.apiKey': false, access_token: null, api_key: R });
      assert.equal(new Redactor().redact('api_key=falsehood-123'), `api_key=${R}`);
    });

    it('redacts several tokens in one text', () => {
      const text = `a ghp_${'1'.repeat(36)} b glpat-${'2'.repeat(20)} c`;
      assert.equal(new Redactor().redact(text), `a ghp_${R} b glpat-${R} c`);
    });
  });

  describe('redactValue', () => {
    const secret = 'hunter2-hunter2';
    const redactor = new Redactor();
    redactor.addSecret(secret);

    it('redacts strings at any depth, keys included, and keeps other values', () => {
      const input = { a: [`x ${secret}`, 1, true, null], [secret]: { deep: [{ deeper: secret }] }, n: 3, u: undefined };
      assert.deepEqual(redactor.redactValue(input), { a: [`x ${R}`, 1, true, null], [R]: { deep: [{ deeper: R }] }, n: 3, u: undefined });
    });

    it('returns a copy and leaves the input unchanged', () => {
      const input = { nested: { value: secret } };
      const output = redactor.redactValue(input);
      assert.equal(input.nested.value, secret);
      assert.notEqual(output, input);
      assert.notEqual(output.nested, input.nested);
    });

    it('redacts a plain string and passes primitives through', () => {
      assert.equal(redactor.redactValue(secret), R);
      assert.equal(redactor.redactValue(42), 42);
      assert.equal(redactor.redactValue(null), null);
    });

    it('cuts a cycle without looping', () => {
      const cyclic: Record<string, unknown> = { name: secret };
      cyclic['self'] = cyclic;
      const list: unknown[] = [secret];
      list.push(list);
      assert.deepEqual(redactor.redactValue(cyclic), { name: R, self: '[circular]' });
      assert.deepEqual(redactor.redactValue(list), [R, '[circular]']);
    });

    it('copies an object shared by two branches both times (shared is not circular)', () => {
      const shared = { token: secret, count: 1 };
      assert.deepEqual(redactor.redactValue({ first: shared, second: shared, list: [shared, shared] }), {
        first: { token: R, count: 1 },
        second: { token: R, count: 1 },
        list: [{ token: R, count: 1 }, { token: R, count: 1 }],
      });
    });

    it('turns an Error into redacted text with its cause', () => {
      const error = new Error(`request with ${secret} failed`, { cause: new TypeError(`Authorization: Bearer ${secret}x`) });
      const output = redactor.redactValue({ error });
      assert.deepEqual(output, { error: `Error: request with ${R} failed — caused by TypeError: Authorization: Bearer ${R}` });
    });
  });

  describe('describeError', () => {
    it('gives name, message and the cause chain, without a stack', () => {
      const text = describeError(new RangeError('outer', { cause: new Error('inner', { cause: 'root' }) }));
      assert.equal(text, 'RangeError: outer — caused by Error: inner — caused by root');
    });

    it('describes things that are not errors', () => {
      assert.equal(describeError('plain'), 'plain');
      assert.equal(describeError({ code: 7 }), '{"code":7}');
      assert.equal(describeError(undefined), 'undefined');
      assert.equal(describeError(() => 1), 'function');
      assert.equal(describeError(10n), '[object BigInt]');
    });

    it('stops following a cause chain that loops', () => {
      const a = new Error('a');
      const b = new Error('b', { cause: a });
      a.cause = b;
      const parts = describeError(a).split(' — ');
      assert.ok(parts.length <= 6, `${parts.length} parts`);
    });
  });
});
