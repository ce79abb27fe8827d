import { parseArgs } from 'node:util';
import { startFakeGitHub } from './fakeGitHub';

/** `npm run fake:github -- --scenario <file> [--port <n>] [--data-dir <dir>] [--no-validate]`: serves until SIGINT. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'scenario': { type: 'string', default: `${__dirname}/scenarios/planning-loop.yaml` },
      'port': { type: 'string' },
      'data-dir': { type: 'string' },
      'no-validate': { type: 'boolean', default: false },
    },
  });
  const fake = await startFakeGitHub({
    scenario: values.scenario,
    ...(values.port === undefined ? {} : { port: Number(values.port) }),
    ...(values['data-dir'] === undefined ? {} : { dataDir: values['data-dir'] }),
    validateRequests: !values['no-validate'],
  });
  const repos = fake.state.repos.map(repo => `  ${repo.owner}/${repo.name}: ${fake.gitUrl(repo.owner, repo.name)}`).join('\n');
  process.stdout.write([
    `Fake GitHub serving ${values.scenario}`,
    `API URL:  ${fake.apiUrl}   (GraphQL: ${fake.apiUrl}/graphql)`,
    `Git URLs:\n${repos}`,
    `Token:    ${fake.token}`,
    `Control:  POST ${fake.apiUrl}/_fake/<action>  (see test/fakes/github/README.md); Ctrl-C stops.`,
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
