/**
 * Chinese word segmentation: jieba (`@node-rs/jieba`, prebuilt native binary) plus a domain
 * dictionary: Shenzhen district / street / community names from the committed org seed
 * (`src/store/seed/shenzhen.json`) with and without their suffixes (罗湖区/罗湖, 玉塘街道/玉塘,
 * 田寮社区/田寮, 凤凰社区平湖墟居委会 → 凤凰社区, 平湖墟居委会, 平湖墟) and a short list of
 * government-service terms (接诉即办, 网格员, 拖欠工资, …).
 *
 * Dictionary words are loaded through jieba's `loadDict` (user-dictionary text `word freq tag`,
 * one per line; a word loaded without a frequency gets none and loses to its parts, so every
 * line carries one). A bare name that the base dictionary already segments as one word (罗湖,
 * 光明, 凤凰) is left alone, so its common-word frequency is not overwritten.
 *
 * `tokens()` is what the classifier and search use: normalised text (see normalize.ts), jieba
 * cut, minus tokens without a letter or digit (whitespace, punctuation, symbols, the mask), stop words and long digit
 * runs (phone and ID numbers), ASCII lower-cased.
 */
import { readFileSync } from 'node:fs';
import { Jieba, TfIdf } from '@node-rs/jieba';
import { dict, idf } from '@node-rs/jieba/dict.js';
import { hasWordChar, MASK, normalize } from './normalize.ts';

/** Government-service vocabulary that jieba's general dictionary splits or lacks. */
export const GOV_TERMS: readonly string[] = [
  '接诉即办', '未诉先办', '主动治理', '12345', '12345热线', '市民热线', '政务服务', '政务服务中心',
  '网格员', '网格化', '网格化管理', '社区网格', '街道办', '街道办事处', '居委会', '村委会',
  '社区工作站', '党群服务中心', '城管', '城管执法', '综合执法', '执法队', '城中村', '老旧小区',
  '物业', '物业费', '物业公司', '物业管理', '业委会', '业主委员会', '业主大会', '加装电梯',
  '违建', '违章建筑', '违法建设', '违规搭建', '占道经营', '乱停乱放', '噪音扰民', '油烟扰民',
  '施工噪音', '夜间施工', '高空抛物', '消防通道', '垃圾分类', '餐厨垃圾', '建筑垃圾', '化粪池',
  '拖欠工资', '欠薪', '讨薪', '农民工', '劳动仲裁', '劳动监察', '社保', '医保', '公积金',
  '住房公积金', '人才房', '公租房', '保障房', '安居房', '积分入学', '学位', '学区房',
  '共享单车', '电动自行车', '充电桩', '停车位', '网约车', '营业执照', '市场监管', '食品安全',
  '12315', '12369', '12319', '110', '119', '120', '深圳通', '入户', '居住证', '落户',
];

/** Function words that carry no topic; deliberately short (请问/建议/投诉 are kept: they mark the request type). */
export const STOP_WORDS: readonly string[] = [
  '的', '地', '得', '了', '着', '过', '是', '在', '和', '与', '及', '或', '也', '就', '都', '而',
  '还', '又', '被', '把', '对', '从', '到', '给', '向', '于', '以', '之', '其', '这', '那', '这个',
  '那个', '这些', '那些', '这样', '那样', '吗', '呢', '吧', '啊', '呀', '哦', '嘛', '么', '哈',
  '我', '我们', '你', '你们', '您', '他', '她', '它', '他们', '她们', '它们', '自己', '一个', '一下',
  '等', '等等', '个', '有', '将', '能', '会', '要', '让', '使', '该', '此', '些', '么',
];

/** One row of `src/store/seed/shenzhen.json`. */
export interface PlaceRow {
  code: string;
  name: string;
  kind: string;
  parentCode: string | null;
}

const SEED_URL = new URL('../store/seed/shenzhen.json', import.meta.url);

/** The Shenzhen org rows from the committed seed. */
export function loadShenzhenPlaces(): PlaceRow[] {
  return JSON.parse(readFileSync(SEED_URL, 'utf8')) as PlaceRow[];
}

/** Suffixes dropped to get a bare name, by kind of unit (longest first). */
const SUFFIXES: Record<string, readonly string[]> = {
  district: ['新区', '区', '县', '市'],
  street: ['街道办事处', '街道办', '街道', '镇', '乡'],
  community: ['社区居委会', '社区工作站', '居委会', '村委会', '社区', '村'],
};
const ALL_SUFFIXES = [...new Set(Object.values(SUFFIXES).flat())].sort((a, b) => b.length - a.length);

/**
 * Names worth adding for one unit: the name itself, or its parts when split at an inner 社区
 * (凤凰社区平湖墟居委会 → 凤凰社区, 平湖墟居委会), without a leading 深圳市/深圳; and each without
 * its kind's suffix (区 for a district, 街道 for a street, 社区/居委会 for a community; any of them
 * when the kind is unknown) when at least two characters remain: 福田保税区, a street-level
 * unit, stays whole. Returns `[full names, bare names]`.
 */
export function nameVariants(name: string, kind?: string): [full: string[], bare: string[]] {
  const suffixes = (kind && SUFFIXES[kind]) || ALL_SUFFIXES;
  const full = new Set<string>();
  const bare = new Set<string>();
  // 凤凰社区平湖墟居委会: people write the parts, not the whole.
  const inner = name.indexOf('社区');
  const parts = inner > 0 && inner + 2 < name.length ? [name.slice(0, inner + 2), name.slice(inner + 2)] : [name];
  for (let part of parts) {
    part = part.replace(/^深圳市?/, '');
    if (part.length < 2) continue;
    full.add(part);
    const suffix = suffixes.find((x) => part.endsWith(x));
    if (suffix && part.length - suffix.length >= 2) bare.add(part.slice(0, -suffix.length));
  }
  for (const f of full) bare.delete(f);
  return [[...full], [...bare]];
}

/** Place names (full and bare) for the domain dictionary, from org rows (default: Shenzhen seed). */
export function placeNames(rows: readonly PlaceRow[] = loadShenzhenPlaces()): [full: string[], bare: string[]] {
  const full = new Set<string>();
  const bare = new Set<string>();
  for (const row of rows) {
    if (row.kind === 'city') continue;
    const [f, b] = nameVariants(row.name, row.kind);
    f.forEach((n) => full.add(n));
    b.forEach((n) => bare.add(n));
  }
  for (const f of full) bare.delete(f);
  return [[...full].sort(), [...bare].sort()];
}

export interface SegmenterOptions {
  /** Org rows whose names join the dictionary; default the Shenzhen seed. `[]` for none. */
  places?: readonly PlaceRow[];
  /** Extra domain terms; default {@link GOV_TERMS}. */
  terms?: readonly string[];
  /** Tokens to drop from `tokens()`; default {@link STOP_WORDS}. */
  stopWords?: Iterable<string>;
  /** Let jieba's HMM join unknown words (jieba's own default); default true. */
  hmm?: boolean;
}

/** Frequencies for added words: enough to beat their parts, low enough not to swallow common neighbours. */
const FULL_NAME_FREQ = 200;
const BARE_NAME_FREQ = 20;
const TERM_FREQ = 200;

const LONG_DIGITS = /^\d{7,}$/;

export class Segmenter {
  readonly jieba: Jieba;
  readonly hmm: boolean;
  /** The user-dictionary text that was loaded (`word freq tag` lines). */
  readonly userDict: string;
  private readonly stop: Set<string>;
  private tfidf: TfIdf | undefined;

  constructor(options: SegmenterOptions = {}) {
    this.jieba = Jieba.withDict(dict);
    this.hmm = options.hmm ?? true;
    this.stop = new Set(options.stopWords ?? STOP_WORDS);
    const [full, bare] = placeNames(options.places ?? loadShenzhenPlaces());
    const lines: string[] = [];
    const seen = new Set<string>();
    // A word the base dictionary already cuts whole keeps its frequency.
    const add = (word: string, freq: number, tag: string): void => {
      if (seen.has(word) || word.includes(' ')) return;
      seen.add(word);
      if (this.jieba.cut(word, false).length === 1) return;
      lines.push(`${word} ${freq} ${tag}`);
    };
    for (const w of full) add(w, FULL_NAME_FREQ, 'ns');
    for (const w of options.terms ?? GOV_TERMS) add(w, TERM_FREQ, 'n');
    for (const w of bare) add(w, BARE_NAME_FREQ, 'ns');
    this.userDict = lines.join('\n') + '\n';
    if (lines.length > 0) this.jieba.loadDict(Buffer.from(this.userDict, 'utf8'));
  }

  /** jieba's cut of the normalised text, everything kept (punctuation, spaces, masks). */
  cut(text: string): string[] {
    return this.jieba.cut(normalize(text), this.hmm);
  }

  /** Content tokens of `text` (see the module comment). */
  tokens(text: string): string[] {
    const out: string[] = [];
    for (const raw of this.jieba.cut(normalize(text), this.hmm)) {
      if (!hasWordChar(raw) || (raw.length >= 7 && LONG_DIGITS.test(raw))) continue;
      const token = raw.toLowerCase();
      if (this.stop.has(token)) continue;
      out.push(token);
    }
    return out;
  }

  /**
   * Top-`k` TF-IDF keywords by jieba's extractor with its bundled IDF table and default config
   * (its own stop words, at least 2 characters), then minus our stop words. (`TfIdf.setConfig`
   * in @node-rs/jieba 2.0.3 fails on any `stopWords` value, hence the filter here.)
   */
  keywords(text: string, k = 5): { keyword: string; weight: number }[] {
    this.tfidf ??= TfIdf.withDict(idf);
    return this.tfidf
      .extractKeywords(this.jieba, normalize(text), k + 10)
      .filter((kw) => !this.stop.has(kw.keyword) && !kw.keyword.includes(MASK) && hasWordChar(kw.keyword))
      .slice(0, k);
  }
}

let shared: Segmenter | undefined;

/** A process-wide segmenter with the default dictionary (built on first use, ~0.5 s). */
export function defaultSegmenter(): Segmenter {
  shared ??= new Segmenter();
  return shared;
}
