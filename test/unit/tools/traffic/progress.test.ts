import { Progress } from '../../../../tools/traffic/progress';

function stream(isTTY: boolean) {
  const written: string[] = [];
  return { isTTY, write: (t: string) => written.push(t), written };
}

describe('Progress', () => {
  test('redraws one bar in place on a terminal', () => {
    const s = stream(true);
    const p = new Progress(s, 4, 8);
    for (let i = 0; i < 4; i++) p.tick(i === 3 ? 1 : 0);
    expect(s.written[0]).toBe('\r[##......] 1/4');
    expect(s.written[3]).toBe('\r[########] 4/4 (1 5xx/errors)');
    expect(s.written[4]).toBe('\n');
  });

  test('writes a plain line per tenth when not a terminal (CI logs)', () => {
    const s = stream(false);
    const p = new Progress(s, 100);
    for (let i = 0; i < 100; i++) p.tick(0);
    expect(s.written.every((l) => !l.includes('\r'))).toBe(true);
    expect(s.written).toHaveLength(11);
    expect(s.written[s.written.length - 1]).toBe('100/100 requests done\n');
  });
});
