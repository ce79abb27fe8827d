/** How a run waiting on a Jules plan states its reason: this, then the plan's summary (julesStatus.ts). */
export const julesPlanAwaitingPrefix = 'Jules plan awaiting approval: ';

/**
 * The steps of a plan summary (`1. Read the form; 2. Add validation`), in order, without their numbers.
 * A step ends only where the next number in sequence starts, after `; ` (what julesStatus writes), or
 * after a space when the text has no `; 2. ` at all; so a title holding "version 3. then" stays whole.
 * Text without a `1. ` step is one step (a plan not listed yet).
 */
export function julesPlanSteps(reason: string): string[] {
  const text = (reason.startsWith(julesPlanAwaitingPrefix) ? reason.slice(julesPlanAwaitingPrefix.length) : reason).trim();
  if (!text.startsWith('1. ')) return text === '' ? [] : [text];
  const steps: string[] = [];
  let rest = text.slice('1. '.length);
  const separator = /;\s*2\.\s/.test(rest) ? ';\\s*' : '\\s+';
  for (let next = 2; ; next++) {
    const marker = new RegExp(`${separator}${String(next)}\\.\\s`).exec(rest);
    if (marker === null) {
      steps.push(rest.trim());
      return steps;
    }
    steps.push(rest.slice(0, marker.index).trim());
    rest = rest.slice(marker.index + marker[0].length);
  }
}
