/** What ATO says, and offers, in Restricted Mode: the same words in the panel, the tree and the status bar. */
export const restrictedModeText = {
  title: 'Restricted Mode',
  detail: 'ATO shows the planning folder and the loop\'s state but takes no action: it runs no agent, writes nothing and makes no request until you trust this folder.',
  action: 'Manage Workspace Trust',
} as const;
