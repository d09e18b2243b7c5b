/**
 * `suqiu intel routing` and `suqiu intel route` as an operator runs them: real processes on an
 * embedded PGlite folder of their own.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ROUTING_RULES } from '../src/domain/routing.ts';
import { readLabelledCsv } from '../src/intel/csv.ts';
import { ROOT, runSuqiu } from './suqiu-cli.ts';

const CSV = join(ROOT, '..', 'shared', 'data', 'msgabench-questions-handling-unit.csv');

const suqiu = (dataDir: string, args: string[]) => runSuqiu(dataDir, args);

describe('suqiu intel routing / route', { timeout: 120_000 }, () => {
  let dir = '';
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'suqiu-routing-cli-'));
    const seed = await suqiu(join(dir, 'data'), ['seed', '--city', 'shenzhen']);
    expect(seed.code, seed.stderr).toBe(0);
    expect(seed.stdout).toMatch(new RegExp(`^routing rules: ${DEFAULT_ROUTING_RULES.length} defaults stored$`, 'm'));
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const data = () => join(dir, 'data');

  it('lists the stored rules, exports them as JSON, and refuses an invalid file naming the problem', async () => {
    const list = await suqiu(data(), ['intel', 'routing']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^ 1\. mailbox\tchannel=mailbox → intake unit\t/m);
    expect(list.stdout).toMatch(new RegExp(`^${DEFAULT_ROUTING_RULES.length} rules$`, 'm'));
    const json = await suqiu(data(), ['intel', 'routing', '--json']);
    const exported = JSON.parse(json.stdout).rules;
    expect(exported.map((r: { id: string }) => r.id)).toEqual(DEFAULT_ROUTING_RULES.map((r) => r.id));

    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ rules: [{ ...exported[0], target: { kind: 'unit', unit: '4403-XX' } }, ...exported.slice(1)] }));
    const refused = await suqiu(data(), ['intel', 'routing', '--set', bad]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/rules\.0\.target\.unit: unknown unit 4403-XX/);

    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify(exported.filter((r: { id: string }) => r.id !== 'public-order')));
    const set = await suqiu(data(), ['intel', 'routing', '--set', good]);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toMatch(new RegExp(`^${DEFAULT_ROUTING_RULES.length - 1} routing rules stored \\(mailbox, public-order-category, `, 'm'));
  });

  it('suggests a unit with its rule and reasons, and uses the bureau model once it is trained', async () => {
    const noise = await suqiu(data(), ['intel', 'route', '工地夜间施工太吵了', '--category', 'noise', '--address', '光明区玉塘街道']);
    expect(noise.code, noise.stderr).toBe(0);
    expect(noise.stdout).toMatch(/^深圳市住房和建设局 \(4403-ZJ\)\tconfidence 100 %\trule construction-noise: /m);
    expect(noise.stdout).toMatch(/^ {2}because 关键词「施工、工地」$/m);
    expect(noise.stdout).toMatch(/^ {2}or 玉塘街道 \(440311005\)/m);

    const question = readLabelledCsv(CSV, '用户问题', '处理单位').find((s) => s.label === '交管局')!.text;
    const before = await suqiu(data(), ['intel', 'route', question, '--json']);
    expect(JSON.parse(before.stdout).route.skipped).toContainEqual({ rule: 'bureau-model', why: '未训练职能部门分类模型' });
    const train = await suqiu(data(), ['intel', 'train', '--kind', 'bureau', '--csv', CSV, '--text-col', '用户问题', '--label-col', '处理单位', '--min-class', '10']);
    expect(train.code, train.stderr).toBe(0);
    const after = await suqiu(data(), ['intel', 'route', question, '--json']);
    expect(JSON.parse(after.stdout).route).toMatchObject({ unitCode: '4403-GA-JJ', rule: { id: 'bureau-model' } });
  });
});
