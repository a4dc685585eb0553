import { readFileSync } from 'node:fs';

/**
 * The exact `aws-cdk` CLI version the lockfile installs, so the pipeline's
 * self-mutation and asset steps run the CLI this repo was tested with.
 */
export function cdkCliVersionFromLockfile(lockfilePath: string): string {
  const lock = JSON.parse(readFileSync(lockfilePath, 'utf8')) as {
    packages?: Record<string, { version?: string }>;
  };
  const version = lock.packages?.['node_modules/aws-cdk']?.version;
  if (!version) throw new Error(`${lockfilePath}: no node_modules/aws-cdk entry; run npm install`);
  return version;
}
