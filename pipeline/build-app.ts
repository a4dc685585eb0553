import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { ProjectConfig } from '../src/config/schema';
import { MeteringStage } from '../src/metering-stage';
import { PipelineStack } from './pipeline-stack';

export interface BuildAppOptions {
  /** Version of the CDK CLI the pipeline pins (read from package-lock.json by the caller). */
  readonly cliVersion: string;
  /** A stage name to also synthesize as a directly deployable `Sandbox` stage (`-c env=dev`). */
  readonly sandbox?: string;
}

/**
 * Composes the whole app from validated config: the pipeline stack (which holds
 * every environment's stage) and, on request, one sandbox stage. cdk-nag runs
 * over all of it, so the pipeline and the stages are checked alike.
 */
export function buildApp(app: App, config: ProjectConfig, options: BuildAppOptions): PipelineStack {
  const pipeline = new PipelineStack(app, 'Pipeline', {
    stackName: `${config.pipeline.appName}-pipeline`,
    env: { account: config.pipeline.toolchain.account, region: config.pipeline.toolchain.region },
    config,
    cliVersion: options.cliVersion,
  });

  if (options.sandbox !== undefined) {
    const stage = config.stages.find((s) => s.stageName === options.sandbox);
    if (!stage) {
      throw new Error(`-c env=${options.sandbox}: expected one of ${config.stages.map((s) => s.stageName).join(', ')}`);
    }
    new MeteringStage(app, 'Sandbox', {
      appName: config.pipeline.appName,
      config: stage,
      toolchainAccount: config.pipeline.toolchain.account,
    });
  }

  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return pipeline;
}
