import { parseArgs } from 'node:util';
import { startFakeJules } from './fakeJules';

/** `npm run fake:jules -- [--port <n>] [--key <k>] [--source owner/repo] [--step-ms <n>] [--concurrent <n>] [--daily <n>]`: serves until SIGINT. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'port': { type: 'string' },
      'key': { type: 'string' },
      'source': { type: 'string', multiple: true },
      'step-ms': { type: 'string', default: '2000' },
      'concurrent': { type: 'string' },
      'daily': { type: 'string' },
    },
  });
  const sources = (values.source ?? ['acme/app']).map(spec => {
    const [owner, repo] = spec.split('/');
    if (owner === undefined || repo === undefined || owner === '' || repo === '') throw new Error(`--source ${spec}: expected owner/repo`);
    return { owner, repo };
  });
  const fake = await startFakeJules({
    sources,
    ...(values.key === undefined ? {} : { apiKey: values.key }),
    ...(values.concurrent === undefined ? {} : { concurrentLimit: Number(values.concurrent) }),
    ...(values.daily === undefined ? {} : { dailySessions: Number(values.daily) }),
    autoStepMs: Number(values['step-ms']),
  }, values.port === undefined ? 0 : Number(values.port));
  process.stdout.write([
    'Fake Jules',
    `API URL:  ${fake.apiUrl}   (set ato.jules.apiUrl or ATO_JULES_API_URL to it)`,
    `API key:  ${fake.apiKey}   (ATO: Set Jules API Key, or ATO_JULES_API_KEY)`,
    `Sources:  ${fake.state.sources.map(source => source.name).join(', ')}`,
    `Sessions advance one step every ${values['step-ms']} ms; a plan waits for :approvePlan.`,
    `Control:  POST ${fake.apiUrl.replace(/\/v1alpha$/, '')}/_fake/<step|advance|script>/<session id>, /_fake/fault; GET /_fake/state. Ctrl-C stops.`,
    '',
  ].join('\n'));
  const stop = (): void => {
    void fake.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
