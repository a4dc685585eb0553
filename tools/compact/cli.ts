import { LambdaClient } from '@aws-sdk/client-lambda';
import { formatHour, hourStart, parseHour } from '../../src/lake/hours';
import { intOption, parseCommandLine, requiredOption, UsageError, usageText } from '../lib/args';
import { runCli } from '../lib/cli';
import { readDeployedStage, requireOutput } from '../lib/stage-outputs';
import { DEFAULT_HOURS_PER_INVOCATION, runBackfill } from './backfill';

const OPTIONS = {
  env: { type: 'string', description: 'stage whose compaction job re-closes the hours (config/<env>.json)' },
  from: { type: 'string', description: 'first hour to re-close, UTC, YYYY-MM-DDTHH (e.g. 2026-11-30T00)' },
  to: { type: 'string', description: 'last hour to re-close, UTC, YYYY-MM-DDTHH (e.g. 2026-11-30T23)' },
  'hours-per-invocation': {
    type: 'string',
    description: `hours sent to one synchronous invocation (default ${DEFAULT_HOURS_PER_INVOCATION})`,
  },
  help: { type: 'boolean', description: 'show this help' },
} as const;
const USAGE = usageText('npm run compact -- --env <stage> --from <YYYY-MM-DDTHH> --to <YYYY-MM-DDTHH>', OPTIONS);

function hourOption(name: 'from' | 'to', raw: string | undefined) {
  const text = requiredOption(name, raw, '2026-11-30T00');
  try {
    return parseHour(text);
  } catch (e) {
    throw new UsageError(`--${name}: ${(e as Error).message}`);
  }
}

runCli(async () => {
  const args = parseCommandLine(process.argv.slice(2), OPTIONS);
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const envName = requiredOption('env', args.env, 'dev');
  const from = hourOption('from', args.from);
  const to = hourOption('to', args.to);
  if (hourStart(from) > hourStart(to)) {
    throw new UsageError(`--to: expected an hour at or after --from (${formatHour(from)}), got ${formatHour(to)}`);
  }
  const hoursPerInvocation = intOption(
    'hours-per-invocation',
    args['hours-per-invocation'],
    1,
    200,
    DEFAULT_HOURS_PER_INVOCATION,
  );
  const stage = await readDeployedStage(envName);
  const functionName = requireOutput(stage, 'compactionFunctionName');
  // One attempt per call: a retried synchronous invoke would run the slice twice (harmless, but slow);
  // throttling is retried by runBackfill. The socket stays open for the function's whole 15 minutes.
  const lambda = new LambdaClient({
    region: stage.config.region,
    maxAttempts: 1,
    requestHandler: { requestTimeout: 16 * 60_000 },
  });
  console.error(`re-closing ${formatHour(from)}..${formatHour(to)} with ${functionName} in ${stage.config.region}`);
  const outcome = await runBackfill(lambda, functionName, from, to, { hoursPerInvocation, print: console.log });
  if (!outcome.ok) {
    console.error(`error: ${outcome.error}`);
    console.error(
      `${outcome.closed.length} hour(s) closed before the failure; fix the cause and re-run from the failed hour.`,
    );
    return 1;
  }
  console.error(`${outcome.closed.length} hour(s) closed`);
  return 0;
}, USAGE);
