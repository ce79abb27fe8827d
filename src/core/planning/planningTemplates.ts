/** Starting content for a new planning folder. The goal is the user's; ATO only writes the template. */
export const goalTemplate = `# Goal

<!-- What should this repository become? ATO's gap analysis compares this goal with
     state/system_capabilities.md and queues the tasks that close the gap. Keep it short and concrete. -->

## Vision

Describe the product in two or three sentences.

## Must have

- A capability the system must offer

## Out of scope

- What the agents should not build
`;

export const capabilitiesTemplate = `# System capabilities

<!-- What the system can do today. ATO updates this after each merged task through a
     capability-update issue; you can edit it by hand at any time. -->

Nothing is recorded yet.
`;

export const reviewsReadme = `# Reviews

Review documents (\`review-YYYY-MM-DD.md\`) written by agents or by hand. Files here are not development work.
`;
