/**
 * ATO uses zod's tree-shakable "mini" build (about 25 KB bundled instead of 400 KB, which keeps
 * activation and the webview fast). Files import it as `import * as z from 'zod/mini'` — re-exporting
 * the namespace from here would defeat tree-shaking — and import this module for its one side effect:
 * English error messages, which mini does not load by default.
 */
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

/** Marker so importers can `import './zod'` with a visible purpose. */
export const zodMessagesLoaded = true;
