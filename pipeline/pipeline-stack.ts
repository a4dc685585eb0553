import { Stack, type StackProps } from 'aws-cdk-lib';
import * as pipelines from 'aws-cdk-lib/pipelines';
import type { Construct } from 'constructs';
import type { ProjectConfig } from '../src/config/schema';
import { MeteringStage } from '../src/metering-stage';

export interface PipelineStackProps extends StackProps {
  /** Validated project config: source, toolchain and the stages in promotion order. */
  readonly config: ProjectConfig;
  /** CDK CLI version used by self-mutation and asset publishing. */
  readonly cliVersion: string;
}

/** The self-mutating pipeline that promotes the metering app through every configured stage. */
export class PipelineStack extends Stack {
  readonly pipeline: pipelines.CodePipeline;

  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id, props);
    const { pipeline: p, stages } = props.config;
    const source = pipelines.CodePipelineSource.connection(p.source.repository, p.source.branch, {
      connectionArn: p.source.connectionArn,
    });
    this.pipeline = new pipelines.CodePipeline(this, 'Pipeline', {
      crossAccountKeys: true,
      enableKeyRotation: true,
      cliVersion: props.cliVersion,
      publishAssetsInParallel: false,
      synth: new pipelines.ShellStep('Synth', {
        input: source,
        commands: ['npm ci', 'npm test', 'npm run synth'],
      }),
    });
    for (const stage of stages) {
      this.pipeline.addStage(
        new MeteringStage(this, stage.stageName, {
          appName: p.appName,
          config: stage,
          toolchainAccount: p.toolchain.account,
        }),
      );
    }
  }
}
