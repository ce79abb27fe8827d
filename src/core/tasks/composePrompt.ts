import { withoutHumanOnlySections } from './markdownBody';
import type { Task } from './task';

export type PromptSource = Pick<Task, 'title' | 'prompt' | 'targetFiles' | 'successCriteria' | 'context' | 'body'>;

/**
 * The prompt an agent receives for a task (pass-through policy, seed 004): the title as a heading, the
 * task's prompt verbatim, then "Target files:", "Success criteria:" (a checklist) and "Context:" — each
 * only when it has content. No extra instructions: guardrails come from the allowed tools, validation and
 * the structured result, not from prompt wording. A prompt that starts with the title line (a plain
 * Markdown task, whose prompt is its whole text) loses that line, which the heading already shows. A task
 * with none of these sections passes its body, less the title line. Sections for people (`## Notes`, ATO's
 * `## Result`: see `humanOnlySectionLabels`) are never sent: the parser leaves them out of every field.
 */
export function composePrompt(task: PromptSource): string {
  const sections: string[] = [`# ${task.title.replace(/\s+/g, ' ').trim()}`];
  const prompt = trimBlankLines(withoutTitleLine(task.prompt, task.title));
  const targets = task.targetFiles.map(stripBullet).filter(line => line !== '');
  const criteria = task.successCriteria.map(stripBullet).filter(line => line !== '');
  const context = trimBlankLines(task.context);

  if (prompt !== '') sections.push(prompt);
  if (targets.length > 0) sections.push(['Target files:', ...targets.map(target => `- ${target}`)].join('\n'));
  if (criteria.length > 0) sections.push(['Success criteria:', ...criteria.map(criterion => `- ${checkbox(criterion)}`)].join('\n'));
  if (context !== '') sections.push(`Context:\n${context}`);

  if (sections.length === 1) {
    const body = trimBlankLines(withoutTitleLine(withoutHumanOnlySections(task.body), task.title));
    if (body !== '') sections.push(body);
  }
  return `${sections.join('\n\n')}\n`;
}

/** Removes blank lines at the start and trailing whitespace at the end; the text in between is untouched. */
function trimBlankLines(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(/^(?:[ \t]*\n)+/, '').trimEnd();
}

function stripBullet(line: string): string {
  return line.trim().replace(/^[-*+]\s+/, '').trim();
}

function checkbox(criterion: string): string {
  return /^\[[ xX]\]\s/.test(criterion) ? criterion : `[ ] ${criterion}`;
}

function withoutTitleLine(body: string, title: string): string {
  const lines = body.replace(/\r\n/g, '\n').split('\n');
  const first = lines.findIndex(line => line.trim() !== '');
  if (first !== -1 && lines[first]?.replace(/^#+\s*/, '').trim() === title.trim()) lines.splice(first, 1);
  return lines.join('\n');
}
