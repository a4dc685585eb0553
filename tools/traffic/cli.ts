import { SMOKE_ENV } from '../../src/config/naming';
import { intOption, parseCommandLine, UsageError, usageText } from '../lib/args';
import { COGNITO_ENDPOINT_ENV, cognitoClient } from '../lib/aws';
import { runCli } from '../lib/cli';
import { readDeployedStage, requireOutput } from '../lib/stage-outputs';
import { TempUser } from '../lib/temp-user';
import { planRequests } from './mix';
import { Progress } from './progress';
import { runTraffic } from './run';
import { formatReport, summarize } from './stats';

const TOKEN_ENV = 'METERING_TOKEN';
const OPTIONS = {
  env: { type: 'string', description: 'stage whose deployed API to call (reads its stack outputs)' },
  count: { type: 'string', description: 'number of requests (default 100)' },
  concurrency: { type: 'string', description: 'requests in flight at once (default 4)' },
  'invalid-percent': { type: 'string', description: 'share of deliberately invalid requests, 0-100 (default 20)' },
  url: { type: 'string', description: `API invoke URL (or ${SMOKE_ENV.apiUrl}); overrides the stack output` },
  token: { type: 'string', description: `ID token to send (or ${TOKEN_ENV}); else a temporary user is created` },
  'cognito-endpoint': { type: 'string', description: `Cognito endpoint override (or ${COGNITO_ENDPOINT_ENV})` },
  help: { type: 'boolean', description: 'show this help' },
} as const;
const USAGE = usageText('npm run traffic -- --env <stage> [--count N] [--concurrency C]', OPTIONS);

runCli(async () => {
  const args = parseCommandLine(process.argv.slice(2), OPTIONS);
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const count = intOption('count', args.count, 1, 100_000, 100);
  const concurrency = intOption('concurrency', args.concurrency, 1, 64, 4);
  const invalidShare = intOption('invalid-percent', args['invalid-percent'], 0, 100, 20) / 100;
  const stage = args.env ? await readDeployedStage(args.env) : undefined;
  const env = process.env;
  const apiUrl = args.url ?? env[SMOKE_ENV.apiUrl] ?? (stage && requireOutput(stage, 'apiUrl'));
  if (!apiUrl) throw new UsageError(`pass --env <stage>, --url or ${SMOKE_ENV.apiUrl}`);

  let token = args.token ?? env[TOKEN_ENV];
  let user: TempUser | undefined;
  const region = stage?.config.region ?? env[SMOKE_ENV.region];
  const userPoolId = stage ? requireOutput(stage, 'userPoolId') : env[SMOKE_ENV.userPoolId];
  const clientId = stage ? requireOutput(stage, 'userPoolClientId') : env[SMOKE_ENV.userPoolClientId];
  if (!token) {
    if (!region || !userPoolId || !clientId) {
      throw new UsageError(
        `no token: pass --token, set ${TOKEN_ENV}, or give --env (or ${SMOKE_ENV.userPoolId}, ${SMOKE_ENV.userPoolClientId}, ${SMOKE_ENV.region}) so a temporary user can be created`,
      );
    }
    const cognito = cognitoClient({ region, cognitoEndpoint: args['cognito-endpoint'] ?? env[COGNITO_ENDPOINT_ENV] });
    user = await TempUser.create(cognito, { userPoolId, clientId, prefix: 'metering-traffic' });
    console.error(`created temporary user ${user.identity.email} (sub ${user.identity.sub})`);
  }
  try {
    token ??= await (user as TempUser).signIn();
    const progress = new Progress(process.stderr, count);
    const outcomes = await runTraffic(
      { fetch, now: () => performance.now(), onDone: (failures) => progress.tick(failures) },
      { apiUrl, token, requests: planRequests(count, invalidShare), concurrency },
    );
    const report = summarize(outcomes);
    console.log(formatReport(report));
    return report.serverErrors > 0 || report.networkErrors > 0 ? 1 : 0;
  } finally {
    if (user) {
      await user.delete();
      console.error(`deleted temporary user ${user.identity.email}`);
    }
  }
}, USAGE);
