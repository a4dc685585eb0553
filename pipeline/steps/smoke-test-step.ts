import { Duration } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { SMOKE_ENV } from '../../src/config/naming';
import type { StageConfig } from '../../src/config/schema';
import type { StageOutputs } from '../../src/stacks/service-stack';

/** The smoke test command of the smoke-test tool (`tools/smoke`). */
export const SMOKE_COMMANDS = ['npm ci', 'npm run smoke'] as const;

export interface SmokeTestStepProps {
  /** The repository checkout that holds the smoke test. */
  readonly input: pipelines.IFileSetProducer;
  /** The stage under test. */
  readonly stage: StageConfig;
  /** The stage's outputs (`MeteringStage.outputs`). */
  readonly outputs: StageOutputs;
  /**
   * Role the build runs as: the fixed-name role that the stage's smoke-test role trusts.
   */
  readonly role: iam.IRole;
}

/**
 * Runs the smoke test against a freshly deployed stage. The stage's outputs
 * arrive as environment variables; the test itself assumes the smoke-test role
 * in the stage account (`METERING_SMOKE_TEST_ROLE_ARN`).
 */
export class SmokeTestStep extends pipelines.CodeBuildStep {
  constructor(id: string, props: SmokeTestStepProps) {
    const { stage, outputs } = props;
    super(id, {
      input: props.input,
      commands: [...SMOKE_COMMANDS],
      role: props.role,
      envFromCfnOutputs: {
        [SMOKE_ENV.apiUrl]: outputs.apiUrl,
        [SMOKE_ENV.userPoolId]: outputs.userPoolId,
        [SMOKE_ENV.userPoolClientId]: outputs.userPoolClientId,
        [SMOKE_ENV.smokeTestRoleArn]: outputs.smokeTestRoleArn,
        [SMOKE_ENV.workgroupName]: outputs.workgroupName,
        [SMOKE_ENV.databaseName]: outputs.databaseName,
      },
      env: {
        [SMOKE_ENV.region]: stage.region,
        [SMOKE_ENV.roundTrip]: String(stage.smokeTest.roundTrip),
        [SMOKE_ENV.bufferIntervalSeconds]: String(stage.firehose.bufferIntervalSeconds),
      },
      // The round trip waits for Firehose to flush and Athena to answer.
      timeout: Duration.minutes(30),
    });
  }
}
