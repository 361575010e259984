import { describe, expect, it } from 'vitest';
import { Progress, formatSeconds } from './progress.js';

function sink(isTTY: boolean) {
  const chunks: string[] = [];
  return { stream: { isTTY, write: (c: string) => chunks.push(c) }, text: () => chunks.join('') };
}

describe('Progress', () => {
  it('prints one plain line per step when not on a terminal', async () => {
    const out = sink(false);
    const p = new Progress(2, out.stream);
    expect(await p.step('first', () => 41 + 1)).toBe(42);
    await p.step('second', async () => undefined);
    const lines = out.text().split('\n');
    expect(lines[0]).toMatch(/^\[1\/2\] first … done \(\d\.\d\d s\)$/);
    expect(lines[1]).toMatch(/^\[2\/2\] second … done/);
    expect(out.text()).not.toContain('\x1b');
  });

  it('draws a spinner and a check mark on a terminal', async () => {
    const out = sink(true);
    await new Progress(1, out.stream).step('work', () => new Promise((r) => setTimeout(r, 200)));
    expect(out.text()).toContain('\r\x1b[2K⠋ [1/1] work');
    expect(out.text()).toMatch(/✓ \[1\/1\] work \(\d\.\d\d s\)\n$/);
  });

  it('reports a failing step and rethrows', async () => {
    const out = sink(false);
    await expect(
      new Progress(1, out.stream).step('boom', () => {
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    expect(out.text()).toBe('[1/1] boom … failed\n');
  });

  it('formats seconds', () => {
    expect(formatSeconds(0.4213)).toBe('0.42 s');
    expect(formatSeconds(12.34)).toBe('12.3 s');
  });
});
