/** A Jules plan as the needs-you item carries it: what comes before the steps, then each numbered step. */
export interface PlanText {
  readonly intro: string;
  readonly steps: readonly string[];
}

/**
 * Splits "Jules plan awaiting approval: 1. Read the form; 2. Add tests" into its steps. A step starts only
 * at the next number in sequence ("2. " after step 1), after "; " as the Jules backend joins them (or after
 * any space when the text has no "; 2. "), so a step that itself says "3. " early or "1. " again stays whole.
 * Without a "1. " the whole text is the intro and there are no steps.
 */
export function planSteps(detail: string): PlanText {
  const joined = detail.includes('; 2. ');
  const stepStart = (number: number, from: number): number | undefined => {
    const marker = `${number}. `;
    for (let at = detail.indexOf(marker, from); at !== -1; at = detail.indexOf(marker, at + 1)) {
      const after = joined && number > 1 ? detail.slice(at - 2, at) === '; ' : /\s/.test(detail.charAt(at - 1));
      if (at === 0 || after) return at;
    }
    return undefined;
  };
  const first = stepStart(1, 0);
  if (first === undefined) return { intro: detail.trim(), steps: [] };
  const steps: string[] = [];
  let start = first;
  for (let number = 1; ; number++) {
    const bodyStart = start + `${number}. `.length;
    const next = stepStart(number + 1, bodyStart);
    steps.push(detail.slice(bodyStart, next).trim().replace(/;$/, '').trim());
    if (next === undefined) break;
    start = next;
  }
  return { intro: detail.slice(0, first).trim().replace(/:$/, ''), steps };
}
