import * as path from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { loadProjectConfig } from '../../src/config/load';
import * as naming from '../../src/config/naming';
import type { StageConfig } from '../../src/config/schema';
import { UsageError } from './args';

export type OutputKey = keyof typeof naming.OUTPUT_NAMES;

/** A deployed stage as the tools see it: its config and the service stack's outputs. */
export interface DeployedStage {
  readonly appName: string;
  readonly config: StageConfig;
  readonly stackName: string;
  /** Output values by `OUTPUT_NAMES` key; absent when the stack does not (yet) export one. */
  readonly outputs: Partial<Record<OutputKey, string>>;
}

export interface ReadStageOptions {
  /** @default `config/` at the repository root */
  readonly configDir?: string;
  /** Injected for tests. @default a CloudFormation client in the stage's region */
  readonly cloudFormation?: (region: string) => Pick<CloudFormationClient, 'send'>;
}

export const DEFAULT_CONFIG_DIR = path.join(__dirname, '..', '..', 'config');

/** The validated config of stage `envName`, or a usage error listing the stages that exist. */
export function stageConfig(envName: string, configDir = DEFAULT_CONFIG_DIR): { appName: string; config: StageConfig } {
  const project = loadProjectConfig(configDir);
  const config = project.stages.find((s) => s.stageName === envName);
  if (!config) {
    throw new UsageError(
      `--env: no stage ${JSON.stringify(envName)} in config; expected one of ${project.stages.map((s) => s.stageName).join(', ')}`,
    );
  }
  return { appName: project.pipeline.appName, config };
}

/**
 * Reads the outputs of the stage's service stack (by its stable name, in the
 * stage's region from config), using the caller's AWS credentials.
 */
export async function readDeployedStage(envName: string, opts: ReadStageOptions = {}): Promise<DeployedStage> {
  const { appName, config } = stageConfig(envName, opts.configDir);
  const stackName = naming.stackNames(appName, config.stageName).service;
  const cfn = opts.cloudFormation?.(config.region) ?? new CloudFormationClient({ region: config.region });
  let stack: { Outputs?: { OutputKey?: string; OutputValue?: string }[] } | undefined;
  try {
    const res = await cfn.send(new DescribeStacksCommand({ StackName: stackName }));
    stack = res.Stacks?.[0];
  } catch (e) {
    const err = e as Error;
    if (err.name === 'ValidationError' && /does not exist/.test(err.message)) {
      throw new Error(
        `stack ${stackName} does not exist in ${config.region} (account ${config.account}): deploy stage ${envName} first, or check your AWS credentials point at that account`,
      );
    }
    throw new Error(`could not read stack ${stackName} in ${config.region}: ${err.name}: ${err.message}`);
  }
  if (!stack) throw new Error(`stack ${stackName} in ${config.region}: DescribeStacks returned no stack`);
  const byKey = new Map((stack.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
  const outputs: Partial<Record<OutputKey, string>> = {};
  for (const [key, outputName] of Object.entries(naming.OUTPUT_NAMES) as [OutputKey, string][]) {
    const value = byKey.get(outputName);
    if (value) outputs[key] = value;
  }
  return { appName, config, stackName, outputs };
}

/** An output the tool cannot work without; the error names the stack and the output. */
export function requireOutput(stage: DeployedStage, key: OutputKey): string {
  const value = stage.outputs[key];
  if (!value) {
    throw new Error(
      `stack ${stage.stackName} has no output ${naming.OUTPUT_NAMES[key]}: is the deployed stack older than this tool?`,
    );
  }
  return value;
}
