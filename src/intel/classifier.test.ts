import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  crossValidate,
  evaluate,
  featureStrings,
  predict,
  prepareSamples,
  scorePredictions,
  stratifiedFolds,
  train,
  trainBaseline,
  type Sample,
  type TextModel,
} from './classifier.ts';
import { readLabelledCsv } from './csv.ts';

const TRAFFIC = [
  '路口红绿灯时间太短，行人过马路很危险',
  '公交车站取消后居民出行很不方便，希望恢复公交线路',
  '地铁站出口附近乱停车严重，堵塞交通',
  '早晚高峰这条路堵车非常严重，建议拓宽道路',
  '小区门口的道路经常有大货车超速行驶',
  '希望增加地铁班次，早高峰太拥挤了',
  '马路上的共享单车乱停乱放，影响通行',
  '路边违章停车太多，公交车过不去',
  '建议在学校门口设置人行横道和减速带',
  '高速公路出口标识不清楚，经常走错路',
  '公交车司机开车太猛，乘客站不稳',
  '十字路口没有红绿灯，车辆抢行容易出事故',
  '停车场收费太高，周边停车位严重不足',
  '电动车在人行道上逆行，行人很危险',
  '这条路的路面坑洼不平，车辆颠簸',
  '出租车拒载绕路，希望加强管理',
  '地铁换乘通道太长，能否增加自动扶梯',
  '夜间公交线路太少，下班回家没有车',
  '桥下的隧道积水，车辆无法通行',
  '道路施工封路没有提前公告，司机绕行很远',
];
const SCHOOL = [
  '孩子今年上小学，学位申请需要哪些材料',
  '幼儿园收费太高，普通家庭负担不起',
  '学校食堂的饭菜质量差，学生吃不饱',
  '希望在小区附近新建一所公办中学',
  '老师布置的作业太多，孩子每天写到很晚',
  '学校课外培训班乱收费，请教育局查处',
  '孩子转学手续怎么办理，需要去哪里',
  '中考招生政策什么时候公布',
  '学校操场塑胶跑道有异味，担心学生健康',
  '幼儿园学位紧张，孩子上不了公办园',
  '积分入学的分数怎么计算',
  '学校放学太早，家长没法接孩子',
  '高中教师补课收费，违反规定',
  '大学毕业生的档案应该转到哪里',
  '特殊教育学校的名额太少了',
  '学校校车安全隐患大，司机没有资质',
  '孩子在学校被同学欺负，老师不管',
  '民办学校学费年年上涨',
  '小学开学时间能否推迟',
  '希望学校延长课后托管服务时间',
];
const ENVIRONMENT = [
  '附近工厂排放废气，气味刺鼻，居民头晕',
  '河道里漂着垃圾，水体发黑发臭',
  '工地夜间施工噪音太大，影响休息',
  '餐馆油烟直排，楼上住户不敢开窗',
  '小区垃圾分类桶长期没人清理，臭气熏天',
  '有人在河边倾倒建筑垃圾，污染水源',
  '化工厂排放污水到河里，鱼都死了',
  '烧烤摊烟雾弥漫，空气污染严重',
  '山上的树木被乱砍滥伐',
  '垃圾站离住宅太近，夏天蚊蝇很多',
  '养殖场粪便污染周边环境',
  '酒吧音响声音太大，深夜扰民',
  '马路边的绿化带被毁，种上了蔬菜',
  '工厂烟囱冒黑烟，周围灰尘很大',
  '湖里水葫芦疯长，水质变差',
  '小区里有人焚烧垃圾，烟雾很大',
  '搅拌站粉尘污染，衣服都不敢晒',
  '污水管道破裂，污水流到路面',
  '公园里的湖水有异味，希望治理',
  '企业偷排废水，请环保部门查处',
];

const LABELS = ['交通', '教育', '环保'] as const;
const SYNTHETIC: Sample[] = [
  ...TRAFFIC.map((text) => ({ text, label: '交通' })),
  ...SCHOOL.map((text) => ({ text, label: '教育' })),
  ...ENVIRONMENT.map((text) => ({ text, label: '环保' })),
];

const HELD_OUT: Sample[] = [
  { text: '红绿灯坏了，路口车辆乱成一团', label: '交通' },
  { text: '建议增加公交车班次，等车太久', label: '交通' },
  { text: '地铁站附近停车太难了', label: '交通' },
  { text: '孩子上幼儿园的学位怎么申请', label: '教育' },
  { text: '学校老师乱收补课费', label: '教育' },
  { text: '小学入学需要准备什么材料', label: '教育' },
  { text: '工厂排放的废气很臭，污染空气', label: '环保' },
  { text: '夜间施工噪音扰民，无法入睡', label: '环保' },
  { text: '河里的污水发臭，垃圾很多', label: '环保' },
];

// Small data: keep every label, and let the vocabulary include single-use features.
const SMALL = { minClassCount: 5, minDf: 1 } as const;

describe('features', () => {
  it('are words plus character n-grams within runs', () => {
    const f = featureStrings('玉塘街道，路灯！', { words: true, charNgrams: [1, 2] });
    expect(f).toEqual(['w:玉塘街道', 'w:路灯', 'c:玉', 'c:塘', 'c:街', 'c:道', 'c:玉塘', 'c:塘街', 'c:街道', 'c:路', 'c:灯', 'c:路灯']);
    expect(featureStrings('**区', { words: false, charNgrams: [2] })).toEqual([]);
  });
});

describe('logistic regression', () => {
  const model = train(SYNTHETIC, SMALL);

  it('learns the labels', () => {
    expect(model.labels).toEqual([...LABELS]);
    expect(model.algorithm).toBe('logreg');
    expect(model.trainedOn.samples).toBe(60);
    expect(evaluate(model, SYNTHETIC).accuracy).toBe(1);
  });

  it('predicts held-out sentences', () => {
    for (const s of HELD_OUT) expect(predict(model, s.text)[0]!.label, s.text).toBe(s.label);
  });

  it('returns k labels with sorted confidences in [0, 1] summing to ≤ 1', () => {
    for (const s of HELD_OUT) {
      const top = predict(model, s.text, 3);
      expect(top).toHaveLength(3);
      const c = top.map((p) => p.confidence);
      for (const x of c) expect(x >= 0 && x <= 1).toBe(true);
      expect([...c].sort((a, b) => b - a)).toEqual(c);
      expect(c.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1 + 1e-9);
      expect(predict(model, s.text, 1)).toEqual(top.slice(0, 1));
    }
    // All labels: a distribution.
    const all = predict(model, '希望尽快处理', 10);
    expect(all).toHaveLength(3);
    expect(all.reduce((a, p) => a + p.confidence, 0)).toBeCloseTo(1, 9);
  });

  it('copes with text that has no known feature', () => {
    const p = predict(model, '＊＊＊', 3);
    expect(p).toHaveLength(3);
    for (const x of p) expect(Number.isFinite(x.confidence)).toBe(true);
  });

  it('survives a JSON round trip with identical predictions', () => {
    const copy = JSON.parse(JSON.stringify(model)) as TextModel;
    expect(copy).toEqual(model);
    for (const s of [...HELD_OUT, ...SYNTHETIC]) expect(predict(copy, s.text, 3)).toEqual(predict(model, s.text, 3));
  });

  it('is deterministic for a seed', () => {
    expect(train(SYNTHETIC, SMALL)).toEqual(model);
    expect(train(SYNTHETIC, { ...SMALL, seed: 7 }).weights).not.toEqual(model.weights);
  });

  it('caps the vocabulary', () => {
    const small = train(SYNTHETIC, { ...SMALL, maxFeatures: 50 });
    expect(small.vocabulary).toHaveLength(50);
    expect(small.weights.every((w) => w.length === 50)).toBe(true);
  });

  it('refuses a single label', () => {
    expect(() => train(TRAFFIC.map((text) => ({ text, label: '交通' })))).toThrow(/at least 2 labels/);
  });
});

describe('baseline (naive Bayes on word counts)', () => {
  it('trains, predicts and round-trips', () => {
    const nb = trainBaseline(SYNTHETIC, SMALL);
    expect(nb.algorithm).toBe('nb');
    expect(nb.idf).toBeNull();
    expect(nb.vocabulary.every((f) => f.startsWith('w:'))).toBe(true);
    const right = HELD_OUT.filter((s) => predict(nb, s.text)[0]!.label === s.label).length;
    expect(right).toBeGreaterThanOrEqual(7);
    const copy = JSON.parse(JSON.stringify(nb)) as TextModel;
    for (const s of HELD_OUT) expect(predict(copy, s.text, 3)).toEqual(predict(nb, s.text, 3));
  });
});

describe('rare labels', () => {
  const withRare: Sample[] = [...SYNTHETIC, { text: '水利工程', label: '水利部' }, { text: '档案查询', label: '国家档案局' }];

  it('are dropped by default and listed in the model', () => {
    const m = train(withRare, { minClassCount: 5, minDf: 1 });
    expect(m.labels).toEqual([...LABELS]);
    expect(m.trainedOn.rareLabels).toEqual({ 国家档案局: 1, 水利部: 1 });
  });

  it('or merged into an other label when that is asked for (and it is big enough)', () => {
    const many = [...SYNTHETIC, ...Array.from({ length: 6 }, (_, i) => ({ text: `罕见问题${i}`, label: `罕见${i}` }))];
    expect(prepareSamples(many, 5, '其他').samples.filter((s) => s.label === '其他')).toHaveLength(6);
    expect(prepareSamples(withRare, 5, '其他').samples.map((s) => s.label)).not.toContain('其他');
  });
});

describe('evaluation', () => {
  it('computes accuracy, macro-F1, per-class metrics and a confusion matrix', () => {
    const ev = scorePredictions(['a', 'a', 'b', 'b', 'c'], ['a', 'b', 'b', 'b', 'a'], ['a', 'b', 'c']);
    expect(ev.accuracy).toBeCloseTo(3 / 5);
    expect(ev.confusion).toEqual({
      labels: ['a', 'b', 'c'],
      matrix: [
        [1, 1, 0],
        [0, 2, 0],
        [1, 0, 0],
      ],
    });
    const [a, b, c] = ev.perClass;
    expect(a).toMatchObject({ label: 'a', precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    expect(b).toMatchObject({ label: 'b', precision: 2 / 3, recall: 1, support: 2 });
    expect(b!.f1).toBeCloseTo(0.8);
    expect(c).toMatchObject({ label: 'c', precision: 0, recall: 0, f1: 0, support: 1 });
    expect(ev.macroF1).toBeCloseTo((0.5 + 0.8 + 0) / 3);
    // A label neither true nor predicted does not dilute macro-F1.
    expect(scorePredictions(['a', 'b'], ['a', 'b'], ['a', 'b', 'z']).macroF1).toBe(1);
  });

  it('stratifies folds deterministically', () => {
    const labels = SYNTHETIC.map((s) => s.label);
    const folds = stratifiedFolds(labels, 5, 3);
    expect(stratifiedFolds(labels, 5, 3)).toEqual(folds);
    for (let f = 0; f < 5; f++) {
      for (const l of LABELS) expect(labels.filter((x, i) => x === l && folds[i] === f)).toHaveLength(4);
    }
  });

  it('cross-validates the synthetic set', () => {
    const cv = crossValidate(SYNTHETIC, 5, SMALL);
    expect(cv.folds).toHaveLength(5);
    expect(cv.pooled.samples).toBe(60);
    expect(cv.macroF1).toBeGreaterThan(0.7);
    expect(crossValidate(SYNTHETIC, 5, SMALL)).toMatchObject({ accuracy: cv.accuracy, macroF1: cv.macroF1 });
  });
});

// The real data set lives beside the clone (../shared/data), in CI too.
const MESSAGES = new URL('../../../shared/data/msgabench-citizen-messages.csv', import.meta.url);

describe('real citizen messages (msgabench, 问题领域)', () => {
  it('5-fold macro-F1 of the model beats the bag-of-words baseline', () => {
    expect(existsSync(MESSAGES), fileURLToPath(MESSAGES)).toBe(true);
    const all = readLabelledCsv(MESSAGES, '留言', '问题领域');
    // A deterministic, stratified 1/8 subsample (~1,200 messages) keeps this to a few CPU seconds.
    const keep = stratifiedFolds(
      all.map((s) => s.label),
      8,
      11,
    );
    const sample = all.filter((_, i) => keep[i] === 0);
    const opts = { minClassCount: 20, seed: 5 };
    const model = crossValidate(sample, 5, opts);
    const baseline = crossValidate(sample, 5, { ...opts, algorithm: 'nb' });
    expect(model.samples).toBe(baseline.samples);
    expect(model.macroF1).toBeGreaterThan(baseline.macroF1 + 0.1);
    expect(model.accuracy).toBeGreaterThan(0.55);
  }, 60_000); // ~3 s of CPU; the margin is for a busy machine
});
