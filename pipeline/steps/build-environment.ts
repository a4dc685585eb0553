import { Duration } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import type * as pipelines from 'aws-cdk-lib/pipelines';

/**
 * Node.js major version every CodeBuild project installs. It must equal `.nvmrc`
 * (a unit test checks), so the pipeline builds with the Node that developers and CI use.
 */
export const NODE_VERSION = '20';

/**
 * cdk-assets version the asset-publishing builds install. CDK Pipelines would
 * install `latest`; it is not in package-lock.json (the CLI bundles its own
 * copy), so it is pinned here and bumped deliberately.
 */
export const CDK_ASSETS_VERSION = '4.7.3';

/** Image with Node 20 available as a runtime version; no Docker is needed anywhere. */
export const BUILD_IMAGE = codebuild.LinuxBuildImage.STANDARD_7_0;

/**
 * Defaults for every CodeBuild project of the pipeline (synth, self-mutation,
 * asset publishing, smoke tests, change review): the pinned Node runtime, an
 * unprivileged build container and a timeout so a stuck build fails the run.
 */
export function codeBuildDefaults(): pipelines.CodeBuildOptions {
  return {
    buildEnvironment: {
      buildImage: BUILD_IMAGE,
      computeType: codebuild.ComputeType.SMALL,
      privileged: false,
    },
    partialBuildSpec: codebuild.BuildSpec.fromObject({
      phases: { install: { 'runtime-versions': { nodejs: NODE_VERSION } } },
    }),
    timeout: Duration.minutes(30),
  };
}
