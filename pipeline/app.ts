#!/usr/bin/env node
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { ConfigError, loadProjectConfig } from '../src/config/load';
import { buildApp } from './build-app';
import { cdkCliVersionFromLockfile } from './cli-version';

// The edge of the app: config is read and validated here, once, and passed down typed.
const root = path.join(__dirname, '..');
let config: ReturnType<typeof loadProjectConfig>;
try {
  // METERING_CONFIG_DIR lets tests (and forks) point the app at another config folder.
  config = loadProjectConfig(process.env.METERING_CONFIG_DIR ?? path.join(root, 'config'));
} catch (e) {
  if (e instanceof ConfigError) {
    console.error(`Invalid configuration: ${e.message}`);
    process.exit(1);
  }
  throw e;
}

const app = new App();
const from = app.node.tryGetContext('env') as string | undefined;
// A sandbox goes to the account and region of the developer's credentials when the CLI knows them.
const sandbox = from
  ? {
      from,
      name: app.node.tryGetContext('sandbox') as string | undefined,
      account: process.env.CDK_DEFAULT_ACCOUNT,
      region: process.env.CDK_DEFAULT_REGION,
    }
  : undefined;
try {
  buildApp(app, config, { cliVersion: cdkCliVersionFromLockfile(path.join(root, 'package-lock.json')), sandbox });
} catch (e) {
  if (e instanceof ConfigError) {
    console.error(`Invalid configuration: ${e.message}`);
    process.exit(1);
  }
  throw e;
}
app.synth();
