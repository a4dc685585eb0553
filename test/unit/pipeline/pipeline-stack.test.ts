import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { cdkCliVersionFromLockfile } from '../../../pipeline/cli-version';
import { PipelineStack } from '../../../pipeline/pipeline-stack';
import { CDK_ASSETS_VERSION, NODE_VERSION } from '../../../pipeline/steps/build-environment';
import type { ProjectConfig, StageConfig } from '../../../src/config/schema';
import { exampleConfig, testApp } from '../../helpers/cdk';
import { actionOrder, joined, pipelineStages } from './pipeline-template';

const ROOT = path.join(__dirname, '..', '..', '..');
const CLI_VERSION = cdkCliVersionFromLockfile(path.join(ROOT, 'package-lock.json'));

function synth(config: ProjectConfig) {
  const app = testApp();
  const stack = new PipelineStack(app, 'Pipeline', {
    env: { account: config.pipeline.toolchain.account, region: config.pipeline.toolchain.region },
    config,
    cliVersion: CLI_VERSION,
  });
  const template = Template.fromStack(stack);
  // Asset publishing's buildspec is written into the assembly rather than the template.
  const assemblySpecs = readdirSync(app.outdir)
    .filter((f) => f.startsWith('buildspec-'))
    .map((f) => readFileSync(path.join(app.outdir, f), 'utf8'));
  return { stack, template, assemblySpecs };
}

/** Swaps the accounts of dev and staging, moves staging to another region and promotes it first. */
function variant(base: ProjectConfig): ProjectConfig {
  const by = (n: string) => base.stages.find((s) => s.stageName === n) as StageConfig;
  const dev = by('dev');
  const staging = by('staging');
  const stages = [
    { ...staging, account: dev.account, region: 'eu-central-1' as const },
    { ...dev, account: staging.account },
    by('prod'),
  ];
  return { pipeline: { ...base.pipeline, stages: stages.map((s) => s.stageName) }, stages };
}

const config = exampleConfig();
const example = synth(config);
const mutated = variant(config);
const swapped = synth(mutated);

describe.each([
  ['example config', config, example],
  ['reordered stages with swapped accounts', mutated, swapped],
])('pipeline from the %s', (_name, cfg, { template }) => {
  const stages = pipelineStages(template);

  test('runs Source, Build, UpdatePipeline, Assets, then every stage in config order', () => {
    expect(stages.map((s) => s.Name)).toEqual([
      'Source',
      'Build',
      'UpdatePipeline',
      'Assets',
      ...cfg.stages.map((s) => s.stageName),
    ]);
    expect(actionOrder(stages[1])).toEqual(['Synth']);
  });

  test('deploys each stage data stack first, then service, then smoke-tests it', () => {
    for (const stage of cfg.stages) {
      const order = actionOrder(stages.find((s) => s.Name === stage.stageName) as (typeof stages)[number]);
      const deploy = [
        `${cfg.pipeline.appName}-${stage.stageName}-data`,
        `${cfg.pipeline.appName}-${stage.stageName}-service`,
      ].flatMap((n) => [`${n}.Prepare`, `${n}.Deploy`]);
      const gate = stage.manualApproval ? ['ChangeReview', 'Approve'] : [];
      expect(order).toEqual([...gate, ...deploy, 'SmokeTest']);
    }
  });

  test("every deploy action targets its stage's account and region", () => {
    for (const stage of cfg.stages) {
      const actions = (stages.find((s) => s.Name === stage.stageName)?.Actions ?? []).filter(
        (a) => a.ActionTypeId.Provider === 'CloudFormation',
      );
      expect(actions).toHaveLength(4);
      for (const a of actions) {
        expect(a.Region ?? cfg.pipeline.toolchain.region).toBe(stage.region);
        expect(joined(a.RoleArn)).toBe(
          `arn:aws:iam::${stage.account}:role/cdk-hnb659fds-deploy-role-${stage.account}-${stage.region}`,
        );
        // The change set is created with (and so executed as) the stage's execution role.
        if (a.Configuration?.ActionMode === 'CHANGE_SET_REPLACE') {
          expect(joined(a.Configuration.RoleArn)).toBe(
            `arn:aws:iam::${stage.account}:role/cdk-hnb659fds-cfn-exec-role-${stage.account}-${stage.region}`,
          );
        }
      }
    }
  });

  test('keeps the number of CodeBuild projects bounded: synth, self-mutation, assets, one smoke test per stage, one review per approval', () => {
    const approvals = cfg.stages.filter((s) => s.manualApproval).length;
    expect(cfg.stages.length + approvals + 3).toBe(7);
    template.resourceCountIs('AWS::CodeBuild::Project', 7);
  });
});

describe('pipeline settings', () => {
  const { template, stack, assemblySpecs } = example;
  const stages = pipelineStages(template);

  test('is a V2 pipeline with a known name and rotating cross-account keys', () => {
    template.hasResourceProperties('AWS::CodePipeline::Pipeline', { PipelineType: 'V2', Name: 'metering-pipeline' });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    expect(stack.pipeline.selfMutationEnabled).toBe(true);
  });

  test('builds from the configured repository and branch through the connection, on every push', () => {
    const [source] = stages[0].Actions;
    expect(source.ActionTypeId.Provider).toBe('CodeStarSourceConnection');
    expect(source.Configuration).toMatchObject({
      FullRepositoryId: config.pipeline.source.repository,
      BranchName: config.pipeline.source.branch,
      ConnectionArn: config.pipeline.source.connectionArn,
      DetectChanges: true,
    });
  });

  type BuildSpec = { phases: Record<string, { commands?: string[]; 'runtime-versions'?: { nodejs?: string } }> };
  const buildSpecs: BuildSpec[] = [
    ...Object.values(template.findResources('AWS::CodeBuild::Project'))
      .map((p) => p.Properties.Source.BuildSpec as string)
      .filter((b) => b.startsWith('{')),
    ...assemblySpecs,
  ].map((b) => JSON.parse(b));

  test('self-mutation and asset publishing use the CLI version from package-lock.json', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    expect(CLI_VERSION).toBe(pkg.devDependencies['aws-cdk']);
    const installs = buildSpecs
      .flatMap((b) => b.phases.install?.commands ?? [])
      .filter((c) => /npm install -g/.test(c));
    expect(installs).toContain(`npm install -g aws-cdk@${CLI_VERSION}`);
    expect(installs).toContain(`npm install -g cdk-assets@${CDK_ASSETS_VERSION}`);
    // Nothing installs an unpinned tool.
    for (const c of installs) expect(c).toMatch(/@\d+\.\d+\.\d+$/);
  });

  test('every build installs the Node version of .nvmrc, and nothing needs Docker', () => {
    expect(readFileSync(path.join(ROOT, '.nvmrc'), 'utf8').trim()).toBe(NODE_VERSION);
    for (const b of buildSpecs) expect(b.phases.install?.['runtime-versions']?.nodejs).toBe(NODE_VERSION);
    for (const p of Object.values(template.findResources('AWS::CodeBuild::Project'))) {
      expect(p.Properties.Environment.PrivilegedMode).toBe(false);
      expect(p.Properties.Environment.Image).toBe('aws/codebuild/standard:7.0');
    }
  });

  test('synth runs the same commands as README and CI and publishes cdk.out', () => {
    const synthSpec = buildSpecs.find((b) => b.phases.build?.commands?.includes('npm run synth'));
    expect(synthSpec?.phases.build.commands).toEqual(['npm ci', 'npm test', 'npm run synth']);
    expect(JSON.stringify(synthSpec)).toContain('"base-directory":"cdk.out"');
  });

  test('publishes assets serially: one file-asset action', () => {
    expect(actionOrder(stages[3])).toEqual(['FileAssets']);
  });
});
