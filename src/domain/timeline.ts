/**
 * What a citizen may read of a case's history: which events show on the tracking page and the
 * one text each may carry. Staff names, internal notes and unit routing never appear.
 */
import { WORKFLOW, type CaseAction } from './workflow.ts';

export const ACTION_LABELS: Record<CaseAction | 'accept', string> = {
  accept: '受理', dispatch: '派单', sign: '签收', return: '申请退回', rule_return: '退回裁定', transfer: '转办', assist: '协办',
  contact: '联系诉求人', feedback: '反馈进展', resolve: '办结答复', rate: '评价', close: '关闭', reopen: '重办', merge: '合并',
  answer: '当场答复', not_accept: '不予受理', pend: '待补充材料', resume: '恢复办理', reveal: '查看个人信息',
};

/** The payload field a citizen may read for each public action. */
const PUBLIC_TEXT: Partial<Record<CaseAction, string>> = {
  feedback: 'message', resolve: 'reply', answer: 'reply', not_accept: 'reason', pend: 'reason', merge: 'intoTrackingNo',
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
