/**
 * Risk flags (风险标记): pure rules over a request's text and facts. Each rule is data: the words
 * that trigger it, optional words that must accompany them, and the urgency it raises the case to.
 * A flag always says which words matched, so a person can judge it; staff clear false alarms
 * with a reason (app/case-flags.ts). Rules, not the classifier: these must fire on the first
 * such message ever seen, and a miss costs more than a false alarm.
 */
import { normalize } from './normalize.ts';

export const RISK_FLAGS = ['self_harm', 'violence', 'group_dispute', 'safety'] as const;
export type RiskFlag = (typeof RISK_FLAGS)[number];

export const RISK_FLAG_LABELS: Record<RiskFlag, string> = {
  self_harm: '自伤自杀风险',
  violence: '暴力极端风险',
  group_dispute: '群体性纠纷',
  safety: '紧急安全隐患',
};

type Urgency = 'normal' | 'urgent' | 'emergency';

export interface RiskRule {
  flag: RiskFlag;
  /** Any of these raises the flag on its own. */
  words: readonly string[];
  /** These raise it only together with one of `withWords`, or when the group size is above 1. */
  groupWords?: readonly string[];
  withWords?: readonly string[];
  urgency: Urgency;
}

/** Ordered, most serious first. */
export const RISK_RULES: readonly RiskRule[] = [
  {
    flag: 'self_harm', urgency: 'emergency',
    words: [
      '寻短见', '跳楼', '不活了', '不想活', '活不下去', '自杀', '轻生', '喝农药', '割腕', '上吊', '跳河', '跳海', '烧炭',
      '吃安眠药', '了结自己', '死给你们看', '以死相逼', '一死了之', '结束生命', '去死',
    ],
  },
  {
    flag: 'violence', urgency: 'emergency',
    words: ['同归于尽', '杀了他', '杀了你', '砍死', '捅死', '弄死', '报复社会', '泼汽油', '浇汽油', '放火烧', '炸了', '炸掉', '血债血偿', '拼个你死我活'],
  },
  {
    flag: 'safety', urgency: 'emergency',
    words: [
      '燃气泄漏', '煤气泄漏', '天然气泄漏', '燃气泄露', '煤气泄露', '漏气', '闻到煤气', '闻到燃气', '塌陷', '坍塌', '倒塌', '触电', '漏电',
      '电线掉落', '电线断落', '高压线断', '起火', '着火', '火灾', '爆炸', '被困电梯', '电梯困人', '困在电梯', '山体滑坡', '滑坡',
      '危房', '墙体开裂', '井盖缺失', '井盖丢失', '没有井盖', '掉进', '溺水', '有毒气体',
    ],
  },
  {
    flag: 'group_dispute', urgency: 'urgent',
    words: ['集体上访', '群体性', '堵路', '拉横幅', '围堵', '聚集维权', '集体维权'],
    groupWords: ['农民工', '讨薪', '拖欠工资', '欠薪', '工资未发', '拖欠薪资', '讨要工资', '拖欠工钱', '烂尾', '退房', '业主维权'],
    withWords: ['集体', '我们', '工友', '大家', '多名', '几十', '上百', '一群', '全体'],
  },
];

/** A negation right before a word cancels it ("没有燃气泄漏", "不是跳楼"). */
const NEGATIONS = ['没有', '并无', '不是', '并非', '已排除', '排除了', '无'];

export interface RaisedFlag {
  flag: RiskFlag;
  label: string;
  /** The words that matched, in the order of the rule. */
  words: string[];
  urgency: Urgency;
}

function found(text: string, word: string): boolean {
  let from = 0;
  for (;;) {
    const i = text.indexOf(word, from);
    if (i < 0) return false;
    const before = text.slice(Math.max(0, i - 3), i);
    if (!NEGATIONS.some((n) => before.endsWith(n))) return true;
    from = i + 1;
  }
}

/**
 * The risk flags of a request, each with the words that raised it. `groupSize` (人数) counts:
 * a wage claim by more than one person is a group dispute.
 */
export function assessRisk(text: string, facts: { groupSize?: number | null } = {}, rules: readonly RiskRule[] = RISK_RULES): RaisedFlag[] {
  const t = normalize(text).replace(/\s+/g, '');
  const out: RaisedFlag[] = [];
  for (const r of rules) {
    const words = r.words.filter((w) => found(t, w));
    const group = (r.groupWords ?? []).filter((w) => found(t, w));
    if (group.length) {
      const company = (r.withWords ?? []).filter((w) => found(t, w));
      if ((facts.groupSize ?? 1) > 1 || company.length) words.push(...group, ...company);
    }
    if (words.length) out.push({ flag: r.flag, label: RISK_FLAG_LABELS[r.flag], words: [...new Set(words)], urgency: r.urgency });
  }
  return out;
}

const RANK: Record<Urgency, number> = { normal: 0, urgent: 1, emergency: 2 };

/** The higher of the given urgency and every flag's urgency (flags never lower it). */
export function raisedUrgency<U extends Urgency>(given: U, flags: readonly RaisedFlag[]): Urgency {
  return flags.reduce<Urgency>((u, f) => (RANK[f.urgency] > RANK[u] ? f.urgency : u), given);
}
