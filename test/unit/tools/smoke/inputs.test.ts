import { SMOKE_ENV } from '../../../../src/config/naming';
import { UsageError } from '../../../../tools/lib/args';
import type { DeployedStage } from '../../../../tools/lib/stage-outputs';
import { inputsFromEnv, inputsFromStage } from '../../../../tools/smoke/inputs';
import { exampleStage } from '../../../helpers/cdk';

const pipelineEnv = {
  [SMOKE_ENV.apiUrl]: 'https://abc.execute-api.eu-west-1.amazonaws.com/dev/',
  [SMOKE_ENV.userPoolId]: 'eu-west-1_pool',
  [SMOKE_ENV.userPoolClientId]: 'client',
  [SMOKE_ENV.smokeTestRoleArn]: 'arn:aws:iam::111111111111:role/metering-dev-smoke-test',
  [SMOKE_ENV.workgroupName]: 'metering-dev',
  [SMOKE_ENV.databaseName]: 'metering_dev',
  [SMOKE_ENV.region]: 'eu-west-1',
  [SMOKE_ENV.roundTrip]: 'true',
  [SMOKE_ENV.bufferIntervalSeconds]: '60',
};

describe('smoke inputs from the pipeline variables', () => {
  test('reads every variable the pipeline sets', () => {
    expect(inputsFromEnv(pipelineEnv)).toEqual({
      apiUrl: 'https://abc.execute-api.eu-west-1.amazonaws.com/dev/',
      userPoolId: 'eu-west-1_pool',
      clientId: 'client',
      region: 'eu-west-1',
      roleArn: 'arn:aws:iam::111111111111:role/metering-dev-smoke-test',
      roundTrip: { workgroup: 'metering-dev', database: 'metering_dev', bufferIntervalSeconds: 60 },
    });
  });

  test('the round trip is off unless asked for, and then needs no Athena variables', () => {
    const { [SMOKE_ENV.workgroupName]: _, ...env } = { ...pipelineEnv, [SMOKE_ENV.roundTrip]: 'false' };
    expect(inputsFromEnv(env).roundTrip).toBeUndefined();
    expect(() => inputsFromEnv(env, true)).toThrow(`missing environment variable(s) ${SMOKE_ENV.workgroupName}`);
  });

  test('names every missing variable and suggests --env', () => {
    expect(() => inputsFromEnv({})).toThrow(UsageError);
    expect(() => inputsFromEnv({})).toThrow(
      `missing environment variable(s) ${SMOKE_ENV.apiUrl}, ${SMOKE_ENV.userPoolId}, ${SMOKE_ENV.userPoolClientId}, ${SMOKE_ENV.region}; set them (the pipeline does) or pass --env <stage>`,
    );
  });

  test.each([
    [SMOKE_ENV.roundTrip, 'yes', /expected true or false/],
    [SMOKE_ENV.bufferIntervalSeconds, '901', /expected seconds from 0 to 900/],
    [SMOKE_ENV.apiUrl, 'abc.execute-api', /expected an http\(s\) URL/],
  ])('%s=%s is refused', (name, value, message) => {
    expect(() => inputsFromEnv({ ...pipelineEnv, [name]: value })).toThrow(message);
  });
});

describe('smoke inputs from a deployed stage', () => {
  const stage = (roundTrip: boolean): DeployedStage => ({
    appName: 'metering',
    stackName: 'metering-dev-service',
    config: exampleStage('dev', { smokeTest: { roundTrip } }),
    outputs: {
      apiUrl: 'https://abc.execute-api.eu-west-1.amazonaws.com/dev/',
      userPoolId: 'eu-west-1_pool',
      userPoolClientId: 'client',
      workgroupName: 'metering-dev',
      databaseName: 'metering_dev',
      smokeTestRoleArn: 'arn:aws:iam::111111111111:role/metering-dev-smoke-test',
    },
  });

  test("takes the round trip setting and buffer interval from the stage's config, and assumes no role", () => {
    const inputs = inputsFromStage(stage(true));
    expect(inputs.roleArn).toBeUndefined();
    expect(inputs.roundTrip).toEqual({
      workgroup: 'metering-dev',
      database: 'metering_dev',
      bufferIntervalSeconds: exampleStage('dev').firehose.bufferIntervalSeconds,
    });
    expect(inputsFromStage(stage(false)).roundTrip).toBeUndefined();
    expect(inputsFromStage(stage(false), true).roundTrip).toBeDefined();
  });
});
