/**
 * What a citizen may read of a case's history: which events show on the tracking page and the
 * one text each may carry. Staff names, internal notes and unit routing never appear.
 */
import { CLOCK_EVENTS } from './clock-points.ts';
import { EXTENSION_ACTION } from './clocks.ts';
import { WORKFLOW, type CaseAction } from './workflow.ts';

type RecordedOnly = 'accept' | typeof EXTENSION_ACTION | (typeof CLOCK_EVENTS)[keyof typeof CLOCK_EVENTS];

/** Labels of every action a case event may record. */
export const ACTION_LABELS: Record<CaseAction | RecordedOnly, string> = {
  accept: '受理', dispatch: '派单', sign: '签收', return: '申请退回', rule_return: '退回裁定', transfer: '转办', assist: '协办',
  contact: '联系诉求人', feedback: '反馈进展', resolve: '办结答复', rate: '评价', close: '关闭', reopen: '重办', merge: '合并',
  answer: '当场答复', not_accept: '不予受理', pend: '待补充材料', resume: '恢复办理', reveal: '查看个人信息',
  extend: '申请延期', approve_extension: '批准延期', [EXTENSION_ACTION]: '批准延期', refuse_extension: '不予延期',
  [CLOCK_EVENTS.warning]: '时限预警', [CLOCK_EVENTS.breach]: '超时',
  escalate: '提级协调', summon: '吹哨报到', co_sign: '联动签收', hand_back: '交回办理',
  supplement: '补充材料', withdraw: '撤回诉求', thank: '表扬信', attach: '上传附件',
};

/** The payload field a citizen may read for each public action. */
const PUBLIC_TEXT: Partial<Record<CaseAction, string>> = {
  feedback: 'message', resolve: 'reply', answer: 'reply', not_accept: 'reason', pend: 'reason', merge: 'intoTrackingNo',
  // The citizen's own words come back to them; the thank letter shows the praise case's number.
  supplement: 'content', withdraw: 'reason', thank: 'praiseTrackingNo',
};

export interface PublicEntry {
  at: string;
  action: string;
  label: string;
  status: string | null;
  text: string | null;
}

export function isPublic(action: string): boolean {
  return action === 'accept' || (action in WORKFLOW && WORKFLOW[action as CaseAction].public);
}

export function publicEntry(e: { at: Date; action: string; toStatus: string | null; payload: unknown }): PublicEntry {
  const field = PUBLIC_TEXT[e.action as CaseAction];
  const value = field ? (e.payload as Record<string, unknown>)[field] : null;
  return {
    at: e.at.toISOString(), action: e.action, label: ACTION_LABELS[e.action as CaseAction] ?? e.action,
    status: e.toStatus, text: typeof value === 'string' ? value : null,
  };
}
