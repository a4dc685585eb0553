import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ConfigError, loadProjectConfig } from '../../../../src/config/load';
import { CONFIG_DIR } from '../../../helpers/cdk';

/** A scratch copy of config/ that one test may break. */
function scratchConfig(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'config-'));
  cpSync(CONFIG_DIR, dir, { recursive: true });
  return dir;
}

type Json = Record<string, unknown>;

function edit(dir: string, file: string, change: (json: Json) => void): void {
  const p = path.join(dir, file);
  const json = JSON.parse(readFileSync(p, 'utf8')) as Json;
  change(json);
  writeFileSync(p, JSON.stringify(json, null, 2));
}

function errorOf(dir: string): string {
  try {
    loadProjectConfig(dir);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected the config to be rejected');
}

const dirs: string[] = [];
function broken(): string {
  const d = scratchConfig();
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('loadProjectConfig', () => {
  it('accepts the committed example config and applies defaults', () => {
    const config = loadProjectConfig(CONFIG_DIR);
    expect(config.pipeline.stages).toEqual(['dev', 'staging', 'prod']);
    expect(config.stages.map((s) => s.stageName)).toEqual(['dev', 'staging', 'prod']);
    const prod = config.stages[2];
    expect(prod).toMatchObject({ production: true, manualApproval: true, keepData: true });
    expect(config.stages[1].lakeFormation.analystPrincipals).toEqual([]);
  });

  it('names a missing file', () => {
    const dir = broken();
    rmSync(path.join(dir, 'pipeline.json'));
    expect(errorOf(dir)).toMatch(/pipeline\.json: file not found$/);
  });

  it('gives line and column of invalid JSON', () => {
    const dir = broken();
    writeFileSync(path.join(dir, 'dev.json'), '{\n  "account": "111111111111",\n  "region": "eu-west-1",,\n}\n');
    expect(errorOf(dir)).toMatch(/dev\.json:3:25: invalid JSON: expected a property name in double quotes$/);
  });

  it('rejects trailing commas like any JSON parser', () => {
    const dir = broken();
    writeFileSync(path.join(dir, 'staging.json'), '{\n  "account": "222222222222",\n}\n');
    expect(errorOf(dir)).toMatch(/staging\.json:3:1: invalid JSON: /);
  });

  it('rejects an account that is not 12 digits', () => {
    const dir = broken();
    edit(dir, 'staging.json', (j) => {
      j.account = '22222222222';
    });
    expect(errorOf(dir)).toMatch(
      /staging\.json:3:3: account: expected a 12-digit AWS account id, e\.g\. "111111111111"$/,
    );
  });

  it('rejects an account given as a number', () => {
    const dir = broken();
    edit(dir, 'dev.json', (j) => {
      j.account = 111111111111;
    });
    expect(errorOf(dir)).toMatch(/dev\.json:\d+:\d+: account: expected a 12-digit AWS account id as a string$/);
  });

  it('rejects an unknown region', () => {
    const dir = broken();
    edit(dir, 'prod.json', (j) => {
      j.region = 'eu-wset-1';
    });
    expect(errorOf(dir)).toMatch(
      /prod\.json:\d+:\d+: region: expected a known AWS region \(e\.g\. "eu-west-1"\), got "eu-wset-1"$/,
    );
  });

  it('names an unknown field (a typo) and lists the known ones', () => {
    const dir = broken();
    edit(dir, 'dev.json', (j) => {
      const firehose = j.firehose as Json;
      firehose.bufferSizeMib = firehose.bufferSizeMiB;
      delete firehose.bufferSizeMiB;
    });
    expect(errorOf(dir)).toMatch(
      /dev\.json:\d+:\d+: firehose\.bufferSizeMib: unknown field "bufferSizeMib"; expected one of: bufferSizeMiB, bufferIntervalSeconds$/,
    );
  });

  it('names a missing required field', () => {
    const dir = broken();
    edit(dir, 'dev.json', (j) => {
      delete j.alarmEmail;
    });
    expect(errorOf(dir)).toMatch(/dev\.json: alarmEmail: missing; expected an email address$/);
  });

  it.each([
    ['bufferSizeMiB', 0, 'expected a buffer size in MiB: an integer from 1 to 128'],
    ['bufferSizeMiB', 129, 'expected a buffer size in MiB: an integer from 1 to 128'],
    ['bufferIntervalSeconds', 901, 'expected a buffer interval in seconds: an integer from 0 to 900'],
    ['bufferIntervalSeconds', -1, 'expected a buffer interval in seconds: an integer from 0 to 900'],
    ['bufferIntervalSeconds', 30.5, 'expected a buffer interval in seconds: an integer from 0 to 900'],
  ])('rejects Firehose %s = %p', (field, value, expected) => {
    const dir = broken();
    edit(dir, 'dev.json', (j) => {
      (j.firehose as Json)[field] = value;
    });
    expect(errorOf(dir)).toMatch(new RegExp(`dev\\.json:\\d+:\\d+: firehose\\.${field}: ${escapeRegExp(expected)}$`));
  });

  it('rejects a stage in the order with no file', () => {
    const dir = broken();
    edit(dir, 'pipeline.json', (j) => {
      j.stages = ['dev', 'qa', 'staging', 'prod'];
    });
    expect(errorOf(dir)).toMatch(
      /pipeline\.json: stages: stage "qa" is in the promotion order but .*qa\.json does not exist$/,
    );
  });

  it('rejects a stage file that is not in the order', () => {
    const dir = broken();
    edit(dir, 'pipeline.json', (j) => {
      j.stages = ['dev', 'prod'];
    });
    expect(errorOf(dir)).toMatch(/staging\.json: stage "staging" is not in the promotion order; add it to "stages" in/);
  });

  it('rejects two stages on the same account and region', () => {
    const dir = broken();
    edit(dir, 'staging.json', (j) => {
      j.account = '111111111111';
    });
    expect(errorOf(dir)).toMatch(
      /staging\.json: account\/region: stages "dev" and "staging" both target account 111111111111 in eu-west-1/,
    );
  });

  it('allows two stages in one account when their regions differ', () => {
    const dir = broken();
    edit(dir, 'staging.json', (j) => {
      j.account = '111111111111';
      j.region = 'eu-central-1';
    });
    expect(() => loadProjectConfig(dir)).not.toThrow();
  });

  it('rejects a production stage without manual approval', () => {
    const dir = broken();
    edit(dir, 'prod.json', (j) => {
      j.manualApproval = false;
    });
    expect(errorOf(dir)).toMatch(
      /prod\.json:\d+:\d+: manualApproval: expected true: a production environment must be preceded by a manual approval$/,
    );
  });

  it('rejects a stage named prod that is not marked production', () => {
    const dir = broken();
    edit(dir, 'prod.json', (j) => {
      j.production = false;
      j.manualApproval = false;
    });
    expect(errorOf(dir)).toMatch(/prod\.json: production: expected true for the stage named "prod"$/);
  });

  it('rejects a production stage that would delete its data', () => {
    const dir = broken();
    edit(dir, 'prod.json', (j) => {
      j.keepData = false;
    });
    expect(errorOf(dir)).toMatch(
      /prod\.json:\d+:\d+: keepData: expected true: a production environment must keep its metered data$/,
    );
  });

  it('rejects a compaction lag that does not cover the Firehose buffer', () => {
    const dir = broken();
    edit(dir, 'staging.json', (j) => {
      (j.compaction as Json).lagMinutes = 5;
    });
    expect(errorOf(dir)).toMatch(
      /staging\.json:\d+:\d+: compaction\.lagMinutes: expected more minutes than the Firehose buffer interval \(300 s\)/,
    );
  });

  it('rejects a log retention CloudWatch does not offer', () => {
    const dir = broken();
    edit(dir, 'dev.json', (j) => {
      (j.retention as Json).logDays = 10;
    });
    expect(errorOf(dir)).toMatch(
      /dev\.json:\d+:\d+: retention\.logDays: expected one of the retention periods CloudWatch Logs accepts: 1, 3, 5/,
    );
  });

  it('rejects a bytes-scanned cutoff below the Athena minimum', () => {
    const dir = broken();
    edit(dir, 'dev.json', (j) => {
      (j.athena as Json).bytesScannedCutoffPerQuery = 1000;
    });
    expect(errorOf(dir)).toMatch(/athena\.bytesScannedCutoffPerQuery: expected at least 10000000 bytes/);
  });

  it('rejects a malformed connection ARN in pipeline.json', () => {
    const dir = broken();
    edit(dir, 'pipeline.json', (j) => {
      (j.source as Json).connectionArn = 'arn:aws:codeconnections:eu-west-1:444444444444:connection/nope';
    });
    expect(errorOf(dir)).toMatch(
      /pipeline\.json:\d+:\d+: source\.connectionArn: expected a CodeConnections connection ARN/,
    );
  });

  it('defaults the branch to main', () => {
    const dir = broken();
    edit(dir, 'pipeline.json', (j) => {
      delete (j.source as Json).branch;
    });
    expect(loadProjectConfig(dir).pipeline.source.branch).toBe('main');
  });
});

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
