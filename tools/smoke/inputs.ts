import { SMOKE_ENV } from '../../src/config/naming';
import { intOption, UsageError } from '../lib/args';
import { type DeployedStage, requireOutput } from '../lib/stage-outputs';
import type { RoundTripSettings } from './smoke';

/** Everything the smoke test needs to know about the stage it tests. */
export interface SmokeInputs {
  readonly apiUrl: string;
  readonly userPoolId: string;
  readonly clientId: string;
  readonly region: string;
  /** Role to assume for Cognito and Athena calls; absent: the caller's own credentials. */
  readonly roleArn?: string;
  readonly roundTrip?: RoundTripSettings;
}

/**
 * Reads the inputs the pipeline passes (see `SMOKE_ENV`); a missing or bad
 * variable is named in the error. `forceRoundTrip` turns the round trip on
 * regardless of METERING_ROUND_TRIP.
 */
export function inputsFromEnv(env: NodeJS.ProcessEnv, forceRoundTrip = false): SmokeInputs {
  const required: string[] = [SMOKE_ENV.apiUrl, SMOKE_ENV.userPoolId, SMOKE_ENV.userPoolClientId, SMOKE_ENV.region];
  const roundTripValue = env[SMOKE_ENV.roundTrip] ?? 'false';
  if (!['true', 'false'].includes(roundTripValue)) {
    throw new UsageError(`${SMOKE_ENV.roundTrip}: expected true or false, got ${JSON.stringify(roundTripValue)}`);
  }
  const roundTrip = forceRoundTrip || roundTripValue === 'true';
  if (roundTrip) required.push(SMOKE_ENV.workgroupName, SMOKE_ENV.databaseName, SMOKE_ENV.bufferIntervalSeconds);
  const missing = required.filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new UsageError(
      `missing environment variable(s) ${missing.join(', ')}; set them (the pipeline does) or pass --env <stage> to read the deployed stack`,
    );
  }
  const get = (name: string) => env[name] as string;
  return {
    apiUrl: checkUrl(get(SMOKE_ENV.apiUrl), SMOKE_ENV.apiUrl),
    userPoolId: get(SMOKE_ENV.userPoolId),
    clientId: get(SMOKE_ENV.userPoolClientId),
    region: get(SMOKE_ENV.region),
    roleArn: env[SMOKE_ENV.smokeTestRoleArn] || undefined,
    roundTrip: roundTrip
      ? {
          workgroup: get(SMOKE_ENV.workgroupName),
          database: get(SMOKE_ENV.databaseName),
          bufferIntervalSeconds: bufferInterval(get(SMOKE_ENV.bufferIntervalSeconds), SMOKE_ENV.bufferIntervalSeconds),
        }
      : undefined,
  };
}

/**
 * Inputs of a deployed stage read from its stack outputs, for an operator
 * running `npm run smoke -- --env dev` with their own credentials (the
 * stage's smoke-test role trusts only the pipeline, so it is not assumed).
 */
export function inputsFromStage(stage: DeployedStage, forceRoundTrip = false): SmokeInputs {
  const roundTrip = forceRoundTrip || stage.config.smokeTest.roundTrip;
  return {
    apiUrl: checkUrl(requireOutput(stage, 'apiUrl'), 'output ApiUrl'),
    userPoolId: requireOutput(stage, 'userPoolId'),
    clientId: requireOutput(stage, 'userPoolClientId'),
    region: stage.config.region,
    roundTrip: roundTrip
      ? {
          workgroup: requireOutput(stage, 'workgroupName'),
          database: requireOutput(stage, 'databaseName'),
          bufferIntervalSeconds: stage.config.firehose.bufferIntervalSeconds,
        }
      : undefined,
  };
}

function checkUrl(value: string, what: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${what}: expected an http(s) URL, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(`${what}: expected an http(s) URL, got ${JSON.stringify(value)}`);
  }
  return value;
}

function bufferInterval(value: string, what: string): number {
  try {
    return intOption('x', value, 0, 900, 0);
  } catch {
    throw new UsageError(`${what}: expected seconds from 0 to 900, got ${JSON.stringify(value)}`);
  }
}
