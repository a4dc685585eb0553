import * as path from 'node:path';
import { App, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { loadProjectConfig } from '../../src/config/load';
import type { ProjectConfig, StageConfig } from '../../src/config/schema';
import { MeteringStage } from '../../src/metering-stage';

const cdkJson = require('../../cdk.json') as { context: Record<string, unknown> };

export const CONFIG_DIR = path.join(__dirname, '..', '..', 'config');

/**
 * An App with the same context as `cdk.json` (feature flags, strict CloudFormation validation).
 * Lambda bundling is skipped (assets become placeholders), because templates are what tests
 * assert on; pass `{ 'aws:cdk:bundling-stacks': ['**'] }` to bundle. `npm run synth` and the
 * bench always bundle for real.
 */
export function testApp(extraContext: Record<string, unknown> = {}): App {
  return new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [], ...extraContext } });
}

/** The committed example config, validated exactly as synth does. */
export function exampleConfig(): ProjectConfig {
  return loadProjectConfig(CONFIG_DIR);
}

/** One stage of the example config, with overrides for the case under test. */
export function exampleStage(name = 'dev', overrides: Partial<StageConfig> = {}): StageConfig {
  const stage = exampleConfig().stages.find((s) => s.stageName === name);
  if (!stage) throw new Error(`no stage ${name} in config/`);
  return { ...stage, ...overrides };
}

/**
 * A `MeteringStage` of one example stage (with overrides), in its own test app,
 * as the pipeline builds it. Each call synthesizes anew: build each variant once per file.
 */
export function exampleMeteringStage(
  name = 'dev',
  overrides: Partial<StageConfig> = {},
  app = testApp(),
): MeteringStage {
  return new MeteringStage(app, 'Test', {
    appName: exampleConfig().pipeline.appName,
    config: exampleStage(name, overrides),
    toolchainAccount: exampleConfig().pipeline.toolchain.account,
  });
}

/** Template of a stack; synthesizes its app once (cache the result per test file). */
export function templateOf(stack: Stack): Template {
  return Template.fromStack(stack);
}
