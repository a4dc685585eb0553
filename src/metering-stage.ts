import { Stage, type StageProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import * as naming from './config/naming';
import type { StageConfig } from './config/schema';
import { DataStack } from './stacks/data-stack';
import { ServiceStack, type StageOutputs } from './stacks/service-stack';

export interface MeteringStageProps extends StageProps {
  /** Short application name from `config/pipeline.json`. */
  readonly appName: string;
  /** The environment's validated config; its account and region are the stage's env. */
  readonly config: StageConfig;
  /** Account of the pipeline (trusted by the smoke-test role). */
  readonly toolchainAccount: string;
  /**
   * The only principal the smoke-test role trusts.
   * @default the pipeline's smoke-test step role in the toolchain account
   */
  readonly smokeTestTrustedArn?: string;
}

/** One environment of the metering application: a data stack and a service stack in the config's account and region. */
export class MeteringStage extends Stage {
  readonly data: DataStack;
  readonly service: ServiceStack;
  /** What the smoke test and operators read. */
  readonly outputs: StageOutputs;

  constructor(scope: Construct, id: string, props: MeteringStageProps) {
    const { config, appName } = props;
    super(scope, id, { ...props, env: { account: config.account, region: config.region } });
    const names = naming.stackNames(appName, config.stageName);
    const databaseName = naming.databaseName(appName, config.stageName);
    this.data = new DataStack(this, 'Data', {
      stackName: names.data,
      appName,
      config,
      databaseName,
      terminationProtection: config.keepData,
    });
    this.service = new ServiceStack(this, 'Service', {
      stackName: names.service,
      appName,
      config,
      toolchainAccount: props.toolchainAccount,
      smokeTestTrustedArn: props.smokeTestTrustedArn,
      data: this.data,
    });
    this.outputs = this.service.outputs;
  }
}
