import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConfigError } from '../src/config/load';
import { NAME_PATTERN, type ProjectConfig, type StageConfig } from '../src/config/schema';
import { MeteringStage } from '../src/metering-stage';
import { PipelineStack } from './pipeline-stack';

export interface BuildAppOptions {
  /** Version of the CDK CLI the pipeline pins (read from package-lock.json by the caller). */
  readonly cliVersion: string;
  /** Also synthesize a directly deployable `Sandbox` stage (`-c env=dev`). @default none */
  readonly sandbox?: SandboxOptions;
}

export interface SandboxOptions {
  /** The stage whose config the sandbox copies (`-c env=<stage>`). */
  readonly from: string;
  /**
   * Name of the sandbox: its stacks, roles, stream and database are named after
   * it, so it never collides with the pipeline's stage in a shared account.
   * @default 'sandbox'
   */
  readonly name?: string;
  /** Target account, normally that of the developer's credentials. @default the stage's */
  readonly account?: string;
  /** Target region. @default the stage's */
  readonly region?: string;
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

  if (options.sandbox) {
    const sandbox = sandboxConfig(config, options.sandbox);
    new MeteringStage(app, 'Sandbox', {
      appName: config.pipeline.appName,
      config: sandbox,
      toolchainAccount: config.pipeline.toolchain.account,
      // No pipeline smoke step exists for a sandbox: the developer's own account may assume the role.
      smokeTestTrustedArn: `arn:aws:iam::${sandbox.account}:root`,
    });
  }

  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return pipeline;
}

/**
 * A throw-away copy of one stage: its own name, never production, no approval,
 * and nothing retained on delete.
 */
export function sandboxConfig(config: ProjectConfig, options: SandboxOptions): StageConfig {
  const stage = config.stages.find((s) => s.stageName === options.from);
  if (!stage) {
    throw new ConfigError(
      `-c env=${options.from}: expected one of the stages in config/pipeline.json: ${config.stages.map((s) => s.stageName).join(', ')}`,
    );
  }
  const name = options.name ?? 'sandbox';
  if (!NAME_PATTERN.test(name) || config.stages.some((s) => s.stageName === name)) {
    throw new ConfigError(
      `-c sandbox=${name}: expected a new name (lowercase letters, digits and '-', starting with a letter, at most 20 characters) that is not a stage in config/pipeline.json`,
    );
  }
  return {
    ...stage,
    stageName: name,
    account: options.account ?? stage.account,
    region: (options.region ?? stage.region) as StageConfig['region'],
    production: false,
    manualApproval: false,
    keepData: false,
  };
}
