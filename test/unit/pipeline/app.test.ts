import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CONFIG_DIR } from '../../helpers/cdk';

const ROOT = path.join(__dirname, '..', '..', '..');

describe('pipeline/app.ts with bad config', () => {
  let dir: string;
  let result: ReturnType<typeof spawnSync>;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'app-config-'));
    cpSync(CONFIG_DIR, dir, { recursive: true });
    const file = path.join(dir, 'staging.json');
    const json = JSON.parse(readFileSync(file, 'utf8'));
    json.account = '12345';
    writeFileSync(file, JSON.stringify(json, null, 2));
    result = spawnSync(process.execPath, [require.resolve('tsx/cli'), 'pipeline/app.ts'], {
      cwd: ROOT,
      env: { ...process.env, METERING_CONFIG_DIR: dir, CDK_OUTDIR: path.join(dir, 'out') },
      encoding: 'utf8',
      timeout: 60_000,
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits non-zero with one message naming the file and field, and no stack trace', () => {
    expect(result.status).toBe(1);
    const stderr = String(result.stderr).trim();
    expect(stderr).toMatch(/^Invalid configuration: .*staging\.json:3:3: account: expected a 12-digit AWS account id/);
    expect(stderr.split('\n')).toHaveLength(1);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
