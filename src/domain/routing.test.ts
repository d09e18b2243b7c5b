import { describe, expect, it } from 'vitest';
import shenzhen from '../store/seed/shenzhen.json' with { type: 'json' };
import { BUREAUS } from '../store/seed/bureaus.ts';
import { buildUnits, type SeedUnit } from './org.ts';
import {
  DEFAULT_ROUTING_RULES, describeRule, endsWithFallback, matchRule, ruleUnitCodes, suggestRoute,
  type CategoryFact, type RouteFacts, type RoutingRule,
} from './routing.ts';

const ALL = buildUnits([...(shenzhen as SeedUnit[]), ...BUREAUS]);
const BY_CODE = new Map(ALL.map((u) => [u.code, u]));
const units = (code: string) => BY_CODE.get(code);

const YUEHAI = '440305007', KEJIYUAN = '440305007003', NANSHAN = '440305', TIANLIAO = '440311005001', YUTANG = '440311005';

const given = (label: string, code: string | null, group: string | null, name: string | null = null): CategoryFact =>
  ({ label, code, name, group, confidence: 1, source: 'given' });
const predicted = (label: string, confidence: number, group: string | null = null, code: string | null = null): CategoryFact =>
  ({ label, code, name: null, group, confidence, source: 'classifier' });
const at = (unitCode: string, confidence = 0.9) => ({ unitCode, confidence, source: 'address' as const });
const facts = (over: Partial<RouteFacts> = {}): RouteFacts => ({ text: '', channel: 'hotline', ...over });

describe('suggestRoute over the shipped rules', () => {
  it.each<[string, Partial<RouteFacts>, string, string]>([
    ['construction noise', { text: '工地夜间施工太吵', category: given('noise', 'noise', '生态环境'), place: at(KEJIYUAN) }, 'construction-noise', '4403-ZJ'],
    ['a neighbour\'s noise → the street of the place', { text: '楼上每晚拖椅子', category: given('noise', 'noise', '生态环境'), place: at(KEJIYUAN) }, 'noise', YUEHAI],
    ['noise with no place → 城管', { text: '广场舞太吵', category: given('noise', 'noise', '生态环境') }, 'noise', '4403-CG'],
    ['wage arrears', { text: '老板跑路', category: given('wage_arrears', 'wage_arrears', '劳动保障') }, 'labour', '4403-RS'],
    ['a classifier label 就业', { text: '失业金', category: predicted('就业', 0.8) }, 'labour', '4403-RS'],
    ['food safety by its group', { text: '餐馆卫生差', category: given('food_safety', 'food_safety', '市场监管') }, 'market', '4403-SCJG'],
    ['prices by its Chinese name', { text: '乱收费', category: given('消费维权', 'consumer_rights', '市场监管', '消费维权') }, 'market', '4403-SCJG'],
    ['an elevator (special equipment)', { text: '电梯坏了', category: given('elevator', 'elevator', '住房物业'), place: at(KEJIYUAN) }, 'elevator', '4403-SCJG'],
    ['illegal parking → traffic police', { text: '车堵门', category: given('illegal_parking', 'illegal_parking', '交通出行') }, 'traffic-police', '4403-GA-JJ'],
    ['a bus line → transport', { text: '公交班次少', category: given('public_transport', 'public_transport', '交通出行') }, 'transport', '4403-JT'],
    ['taxi words, no category', { text: '出租车司机拒载' }, 'taxi-words', '4403-JT'],
    ['a water outage', { text: '停水两天', category: given('water_supply', 'water_supply', '水电气'), place: at(KEJIYUAN) }, 'water', '4403-SW'],
    ['water words, no category', { text: '小区停水了' }, 'water-words', '4403-SW'],
    ['pollution', { text: '工厂排废气', category: given('air_pollution', 'air_pollution', '生态环境') }, 'pollution', '4403-STHJ'],
    ['a fight in 南山 → 南山分局', { text: '路口有人打架', place: at(YUEHAI) }, 'public-order', '4403-GA-440305'],
    ['a fight in 光明 → 光明分局', { text: '有人打架斗殴', category: given('noise', 'noise', '生态环境'), place: at(TIANLIAO) }, 'public-order', '4403-GA-440311'],
    ['a fight, place unknown → the police bureau', { text: '有人打架' }, 'public-order', '4403-GA'],
    ['the classifier says 治安', { text: '深夜有人闹事', category: predicted('治安', 0.7), place: at(YUEHAI) }, 'public-order-category', '4403-GA-440305'],
    ['a letter to a bureau\'s mailbox', { text: '建议', channel: 'mailbox', intakeUnitCode: '4403-SCJG' }, 'mailbox', '4403-SCJG'],
    ['garbage → the street\'s law enforcement', { text: '垃圾没清运', category: given('garbage', 'garbage', '市容环境'), place: at(KEJIYUAN) }, 'city-appearance', YUEHAI],
    ['garbage, place unknown → 城管', { text: '垃圾没清运', category: given('garbage', 'garbage', '市容环境') }, 'city-appearance', '4403-CG'],
    ['the bureau model decides', { text: '怎么上牌', bureau: [{ label: '交管局', confidence: 0.9 }] }, 'bureau-model', '4403-GA-JJ'],
    ['the bureau model names finance', { text: '非法集资', bureau: [{ label: '金融监管局', confidence: 0.8 }] }, 'bureau-model', '4403-JR'],
    ['an unsure bureau model, place known → the street', { text: '学位', bureau: [{ label: '交管局', confidence: 0.5 }], place: at(KEJIYUAN) }, 'local', YUEHAI],
    ['the QR code\'s community as the place', { text: '路面脏', channel: 'qr', place: { unitCode: TIANLIAO, confidence: 0.9, source: 'intake' } }, 'local', YUTANG],
    ['only a district known → that district', { text: '学位', place: at(NANSHAN) }, 'fallback', NANSHAN],
    ['nothing known → the city center', { text: '咨询' }, 'fallback', '4403'],
  ])('%s', (_what, over, rule, unit) => {
    const s = suggestRoute(DEFAULT_ROUTING_RULES, facts(over), units);
    expect({ rule: s.rule.id, unit: s.unitCode }).toEqual({ rule, unit });
    expect(s.unitName).toBe(BY_CODE.get(unit)!.name);
    expect(s.reasons.length).toBeGreaterThan(0);
  });

  it('explains itself: the facts that matched, how the unit was found, a confidence from both', () => {
    const s = suggestRoute(DEFAULT_ROUTING_RULES, facts({
      text: '垃圾没清运', category: predicted('garbage', 0.8, '市容环境', 'garbage'), place: at(KEJIYUAN, 0.9),
    }), units);
    expect(s.rule).toEqual({ id: 'city-appearance', name: expect.stringContaining('市容环境') });
    expect(s.reasons).toEqual([expect.stringMatching(/分类组「市容环境」.*分类模型 80%/), expect.stringMatching(/科技园社区.*→ 粤海街道/)]);
    expect(s.confidence).toBeCloseTo(0.72, 3);
    // The later rules that also name a unit: the place's street (local) is the same street, so the district's fallback follows.
    expect(s.alternatives.map((a) => [a.rule.id, a.unitCode])).toEqual([['fallback', NANSHAN]]);
  });

  it('offers the route of the classifier\'s runner-up category first among the alternatives', () => {
    const s = suggestRoute(DEFAULT_ROUTING_RULES, facts({
      text: '楼下餐馆', category: predicted('noise', 0.5, '生态环境', 'noise'),
      otherCategories: [predicted('food_safety', 0.3, '市场监管', 'food_safety')], place: at(KEJIYUAN),
    }), units);
    expect(s.unitCode).toBe(YUEHAI);
    expect(s.alternatives[0]).toMatchObject({ unitCode: '4403-SCJG', rule: { id: 'market' } });
  });

  it('says which rules matched but could not name a unit', () => {
    const s = suggestRoute(DEFAULT_ROUTING_RULES, facts({ text: '学位', place: at(NANSHAN) }), units);
    expect(s.skipped).toEqual([
      { rule: 'bureau-model', why: '未训练职能部门分类模型' },
      { rule: 'local', why: expect.stringContaining('不到街道一级') },
    ]);
    const unsure = suggestRoute(DEFAULT_ROUTING_RULES, facts({ text: '学位', bureau: [{ label: '交管局', confidence: 0.55 }] }), units);
    expect(unsure.skipped[0]).toEqual({ rule: 'bureau-model', why: expect.stringMatching(/把握不足.*交管局 55%.*70%/) });
  });

  it('skips a rule whose unit is missing from the org tree, and a model label with no unit', () => {
    const rules: RoutingRule[] = [
      { id: 'gone', name: 'gone', match: {}, target: { kind: 'unit', unit: '4403-XX' } },
      { id: 'model', name: 'model', match: {}, target: { kind: 'classifier', labels: { 交管局: '4403-GA-JJ' }, minConfidence: 0.5 } },
      { id: 'last', name: 'last', match: {}, target: { kind: 'unit', unit: '4403' } },
    ];
    const s = suggestRoute(rules, facts({ bureau: [{ label: '民政局', confidence: 0.9 }] }), units);
    expect(s.unitCode).toBe('4403');
    expect(s.skipped).toEqual([
      { rule: 'gone', why: '单位 4403-XX 不在组织架构中' },
      { rule: 'model', why: expect.stringContaining('「民政局」没有对应单位') },
    ]);
  });

  it('throws when no rule names a unit (a configuration error)', () => {
    const rules: RoutingRule[] = [{ id: 'street', name: 'street', match: {}, target: { kind: 'location', level: 'street' } }];
    expect(endsWithFallback(rules)).toBe(false);
    expect(() => suggestRoute(rules, facts(), units)).toThrow(/no routing rule names a unit/);
  });
});

describe('matchRule', () => {
  it.each<[string, RoutingRule['match'], Partial<RouteFacts>, boolean]>([
    ['empty matches anything', {}, {}, true],
    ['a channel in the list', { channel: ['qr', 'web'] }, { channel: 'qr' }, true],
    ['a channel not in the list', { channel: 'mailbox' }, { channel: 'hotline' }, false],
    ['a type', { type: 'consult' }, { type: 'consult' }, true],
    ['a type asked, none known', { type: 'consult' }, {}, false],
    ['a category asked, none known', { category: 'noise' }, {}, false],
    ['an area prefix', { area: '440305' }, { place: at(KEJIYUAN) }, true],
    ['another area', { area: ['440303', '440304'] }, { place: at(KEJIYUAN) }, false],
    ['located: false without a place', { located: false }, {}, true],
    ['located: false with one', { located: false }, { place: at(YUEHAI) }, false],
    ['all conditions must hold', { channel: 'hotline', keywords: ['停水'] }, { channel: 'hotline', text: '没有电' }, false],
  ])('%s', (_what, m, over, expected) => {
    expect(matchRule(m, facts(over)) !== null).toBe(expected);
  });
});

describe('the shipped rules', () => {
  it('end with a fallback, have unique ids and name only units of the seeded org tree', () => {
    expect(endsWithFallback(DEFAULT_ROUTING_RULES)).toBe(true);
    expect(new Set(DEFAULT_ROUTING_RULES.map((r) => r.id)).size).toBe(DEFAULT_ROUTING_RULES.length);
    const refs = ruleUnitCodes(DEFAULT_ROUTING_RULES);
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs) {
      expect(BY_CODE.get(ref.code), `${ref.path}: ${ref.code}`).toBeDefined();
      if (ref.bureau) expect(BY_CODE.get(ref.code)!.kind).toBe('bureau');
    }
  });

  it('describe themselves in one line', () => {
    expect(describeRule(DEFAULT_ROUTING_RULES.find((r) => r.id === 'construction-noise')!)).toBe('category=noise|噪音扰民 keywords=施工|工地|打桩 → unit 4403-ZJ');
    expect(describeRule(DEFAULT_ROUTING_RULES.at(-1)!)).toBe('(any) → location district else 4403 (weight 0.3)');
  });
});

describe('matchRule reasons', () => {
  it('name each condition that held, in words staff read', () => {
    expect(matchRule({ channel: 'hotline', type: 'consult', keywords: ['停水', '停电'], area: '4403', located: true },
      facts({ channel: 'hotline', type: 'consult', text: '小区停水了', place: at(YUEHAI) })))
      .toEqual(['渠道：来电', '类型：咨询', '关键词「停水」', '地点在 4403 内', '地点已知']);
  });
});
