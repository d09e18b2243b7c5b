/**
 * The case (诉求/工单) as the domain sees it: its vocabulary and its state. Personal data is not
 * part of this state; it lives encrypted in the store and only its presence is known here.
 */
export const CHANNELS = ['qr', 'mailbox', 'web', 'walk_in', 'hotline', 'open311'] as const;
export type Channel = (typeof CHANNELS)[number];

/** 咨询 / 求助 / 投诉 / 举报 / 建议 / 表扬 */
export const CASE_TYPES = ['consult', 'help', 'complaint', 'report', 'suggestion', 'praise'] as const;
export type CaseType = (typeof CASE_TYPES)[number];
export const CASE_TYPE_LABELS: Record<CaseType, string> = {
  consult: '咨询', help: '求助', complaint: '投诉', report: '举报', suggestion: '建议', praise: '表扬',
};

export const URGENCIES = ['normal', 'urgent', 'emergency'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const STATUS_CATEGORIES = ['new', 'open', 'pending', 'resolved', 'closed'] as const;
export type StatusCategory = (typeof STATUS_CATEGORIES)[number];

/** Status label → fixed category. Code branches on the category, never on the label. */
export const STATUSES = {
  received: 'new',
  dispatched: 'open',
  signed: 'open',
  return_requested: 'open',
  reopened: 'open',
  escalated: 'open',
  pending: 'pending',
  resolved: 'resolved',
  closed: 'closed',
  merged: 'closed',
  answered: 'closed',
  not_accepted: 'closed',
  withdrawn: 'closed',
} as const satisfies Record<string, StatusCategory>;
export type Status = keyof typeof STATUSES;
export const STATUS_LIST = Object.keys(STATUSES) as Status[];
export const STATUS_LABELS: Record<Status, string> = {
  received: '已受理', dispatched: '已派单', signed: '已签收', return_requested: '申请退回', reopened: '重办', escalated: '提级协调',
  pending: '待补充', resolved: '已办结', closed: '已关闭', merged: '已合并', answered: '已答复', not_accepted: '不予受理', withdrawn: '已撤回',
};

export interface Rating {
  resolved: boolean;
  satisfied: boolean;
  comment: string | null;
  by: 'citizen' | 'callback';
  at: string;
}

export interface CaseState {
  id: string;
  trackingNo: string;
  channel: Channel;
  type: CaseType;
  category: string | null;
  content: string;
  address: string | null;
  lat: number | null;
  lng: number | null;
  urgency: Urgency;
  groupSize: number | null;
  amount: string | null;
  intakeUnitCode: string;
  leadUnitCode: string | null;
  coUnitCodes: string[];
  /** Ancestor-or-self codes of every unit involved: the visibility key. */
  scopeUnits: string[];
  status: Status;
  anonymous: boolean;
  reply: string | null;
  rating: Rating | null;
  mergedInto: string | null;
  returnReason: string | null;
  dispatchedAt: Date | null;
  signedAt: Date | null;
  contactedAt: Date | null;
  firstFeedbackAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  /** 信访事项 (petition regulation time limits); absent means false. */
  petition?: boolean;
  /** Judged complex at intake by an operator; absent means false. */
  complex?: boolean;
}

export const categoryOf = (s: Status): StatusCategory => STATUSES[s];

/** Statuses in which the case has its answer (a reply, or a formal refusal); the reporters of cases merged into it may rate it then. */
export const isAnswered = (s: Status): boolean => s === 'resolved' || s === 'closed' || s === 'answered' || s === 'not_accepted';

/**
 * Whether a merged reporter may rate the root's answer now: the root has an answer, and they have
 * not rated this answer yet (a root reopened and answered again may be rated again).
 */
export function mayRateRootAnswer(rating: Pick<Rating, 'at'> | null, root: { status: Status; answeredAt: Date | null }): boolean {
  if (!isAnswered(root.status)) return false;
  return !rating || (root.answeredAt !== null && Date.parse(rating.at) < +root.answeredAt);
}
