import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { cdkCliVersionFromLockfile } from '../../../pipeline/cli-version';

describe('cdkCliVersionFromLockfile', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lock-'));
  const lock = (content: unknown) => {
    const file = path.join(dir, `${Math.random()}.json`);
    writeFileSync(file, JSON.stringify(content));
    return file;
  };

  test('reads the installed aws-cdk version, not the declared range', () => {
    const file = lock({
      packages: { '': { devDependencies: { 'aws-cdk': '^2.0.0' } }, 'node_modules/aws-cdk': { version: '2.1148.1' } },
    });
    expect(cdkCliVersionFromLockfile(file)).toBe('2.1148.1');
  });

  test('says what to do when the lockfile has no aws-cdk', () => {
    expect(() => cdkCliVersionFromLockfile(lock({ packages: {} }))).toThrow(
      /no node_modules\/aws-cdk entry; run npm install/,
    );
  });
});
