// bottleneck types only its main entry; this declares light.js for every program that loads this file.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- an ambient module declaration, not an import
/// <reference path="./bottleneckLight.d.ts" />
/**
 * The Octokit packages ATO uses, in one module that esbuild bundles on its own into dist/vendor/octokit.js
 * (see `lazyModules` in esbuild.mjs). Load it only with `await import('./octokitVendor')`: a static import
 * would put Octokit in the activation bundle, and the build refuses that.
 */
export { Octokit } from '@octokit/rest';
export { retry } from '@octokit/plugin-retry';
export { throttling } from '@octokit/plugin-throttling';
// plugin-throttling's own scheduler (its dependency): ATO builds the write-spacing groups itself so they can be tuned.
export { default as Bottleneck } from 'bottleneck/light.js';
