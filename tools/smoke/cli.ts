import { defaultSleep } from '../../src/runtime/shared/backoff';
import { intOption, parseCommandLine, usageText } from '../lib/args';
import { athenaClient, COGNITO_ENDPOINT_ENV, cognitoClient, stageCredentials } from '../lib/aws';
import { runCli } from '../lib/cli';
import { readDeployedStage } from '../lib/stage-outputs';
import { inputsFromEnv, inputsFromStage } from './inputs';
import { runSmokeTest } from './smoke';

const OPTIONS = {
  env: { type: 'string', description: 'stage to test, read from its deployed stack (else from METERING_* variables)' },
  'round-trip': { type: 'boolean', description: 'also wait for the requests to appear in the raw table' },
  'margin-seconds': {
    type: 'string',
    description: 'round-trip wait beyond the Firehose buffer interval (default 120)',
  },
  'cognito-endpoint': { type: 'string', description: `Cognito endpoint override (or ${COGNITO_ENDPOINT_ENV})` },
  help: { type: 'boolean', description: 'show this help' },
} as const;
const USAGE = usageText('npm run smoke -- [--env <stage>] [--round-trip]', OPTIONS);

runCli(async () => {
  const args = parseCommandLine(process.argv.slice(2), OPTIONS);
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const inputs = args.env
    ? inputsFromStage(await readDeployedStage(args.env), args['round-trip'])
    : inputsFromEnv(process.env, args['round-trip']);
  const marginSeconds = intOption('margin-seconds', args['margin-seconds'], 0, 3600, 120);
  const aws = {
    region: inputs.region,
    roleArn: inputs.roleArn,
    sessionName: `metering-smoke-${Date.now()}`,
    cognitoEndpoint: args['cognito-endpoint'] ?? process.env[COGNITO_ENDPOINT_ENV],
  };
  const credentials = stageCredentials(aws);
  const result = await runSmokeTest(
    {
      cognito: cognitoClient(aws, credentials),
      athena: inputs.roundTrip ? athenaClient(aws, credentials) : undefined,
      fetch,
      now: Date.now,
      sleep: defaultSleep,
    },
    {
      apiUrl: inputs.apiUrl,
      userPoolId: inputs.userPoolId,
      clientId: inputs.clientId,
      roundTrip: inputs.roundTrip ? { ...inputs.roundTrip, marginSeconds } : undefined,
    },
  );
  console.log(result.summary);
  return result.ok ? 0 : 1;
}, USAGE);
