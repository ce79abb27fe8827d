/** Task files used by several tests: the examples from PRODUCT §3.1 and the seed's `.task.md` format. */

/** PRODUCT §3.1, with the annotations (the spec's right-hand comments) removed. */
export const productExample = `---
id: add-login-form
type: feature
priority: medium
agent: auto
created: 2026-11-21T10:00:00Z
depends_on: [other-task-id]
cwd: packages/web
timeout: 30m
---
# Add a login form

**Target Files:**
- src/login.ts

**Prompt:**
What the agent must do.

**Success Criteria:**
- [ ] The form validates e-mail addresses

**Context:**
Background.
`;

/** The format of seed 004 ("AI Task Orchestrator": `.task.md` files run by Claude Code), with concrete values. */
export const seedExample = `---
id: task_001
type: code_review
priority: high
created: 2025-08-03T10:30:00Z
---

# Review the authentication module

**Target Files:**
- /path/to/file1.py
- /path/to/file2.js

**Prompt:**
Detailed description of what you want Claude to do.

**Success Criteria:**
- [ ] Specific outcome 1
- [ ] Specific outcome 2

**Context:**
Additional background information.
`;

/** A plain Markdown task, as a user drops it into the queue. */
export const plainExample = `# Fix the flaky login test

The login test fails about one run in ten on CI.
Find out why and make it deterministic.
`;

/** Several sections in \`## Heading\` style, with odd case and a fenced block that must stay content. */
export const headingStyleExample = `---
Type: Fix
PRIORITY: High
depends_on:
  - setup-ci
  - add-login-form
---
# Repair the session cookie

## target files
- \`src/session.ts\` — where the cookie is set
- [src/login.ts](src/login.ts)

## PROMPT:
The session cookie lacks \`SameSite\`.

\`\`\`md
**Context:**
not a section: inside a fence
# not the title
\`\`\`

## Success criteria
- [x] Cookie has SameSite=Lax
- [X] Tests cover it
- a plain item
  continued on the next line

## Context
RFC 6265bis.
`;
