/**
 * Who is told what when a case changes — the one table. Staff: the people on duty at a unit that
 * becomes the lead or a co-unit (派单, 转办, 改派, 提级, 吹哨, 交回, 协办). Citizens: a text message on
 * acceptance, feedback and resolution, carrying the tracking number and nothing personal.
 */

interface Units {
  leadUnitCode: string | null;
  coUnitCodes: readonly string[];
}

/** One unit whose on-duty staff are told about an event. */
export interface UnitNotice {
  unitCode: string;
  /** The unit became the lead, or a co-unit. */
  as: 'lead' | 'co';
}

/**
 * Units newly involved by an event: the new lead unit if the lead changed, and every co-unit
 * added. `before` is null for a new case.
 */
export function unitNotices(before: Units | null, after: Units): UnitNotice[] {
  const out: UnitNotice[] = [];
  if (after.leadUnitCode && after.leadUnitCode !== before?.leadUnitCode) out.push({ unitCode: after.leadUnitCode, as: 'lead' });
  for (const code of after.coUnitCodes) {
    if (!before?.coUnitCodes.includes(code) && code !== after.leadUnitCode) out.push({ unitCode: code, as: 'co' });
  }
  return out;
}

const STAFF_TITLES: Readonly<Record<string, string>> = {
  dispatch: '新派单', transfer: '转办', rule_return: '改派', escalate: '提级协调', hand_back: '交回办理',
  assist: '协办', summon: '吹哨报到',
};

/** What the unit is asked to do, by how it became involved; the default is the first entry of each. */
const STAFF_BODIES: Readonly<Record<UnitNotice['as'], Readonly<Record<string, string>>>> = {
  lead: {
    '': '本单位现为主办单位，请及时签收办理。',
    escalate: '下级单位提请协调，本单位现为主办单位，请组织协调处置。',
    hand_back: '上级单位已协调并交回本单位，请继续办理。',
  },
  co: {
    '': '本单位被列为协办单位，请配合办理。',
    summon: '本单位被吹哨报到，请及时签收并参与协同处置。',
  },
};

/**
 * The title and body of a staff notice. Carries the tracking number and the action, never the
 * citizen's data or free text (it may go out by e-mail).
 */
export function staffNoticeText(action: string, trackingNo: string, n: UnitNotice): { title: string; body: string } {
  const what = STAFF_TITLES[action] ?? action;
  const body = STAFF_BODIES[n.as][action] ?? STAFF_BODIES[n.as]['']!;
  return { title: `${what} ${trackingNo}`, body };
}

export const SMS_TEMPLATES = ['accepted', 'feedback', 'resolved', 'merged', 'tracking_code'] as const;
export type SmsTemplate = (typeof SMS_TEMPLATES)[number];

/** Which events text the citizen. A reply at intake (`answer`) is a resolution too. */
export const CITIZEN_SMS: Readonly<Record<string, SmsTemplate>> = {
  accept: 'accepted', feedback: 'feedback', resolve: 'resolved', answer: 'resolved', merge: 'merged',
};

/**
 * Which events of a case also text the reporters of the cases merged into it (合并办理), each
 * with their own tracking number: they follow its progress and are asked to rate its answer.
 */
export const MERGED_REPORTER_SMS: Readonly<Record<string, SmsTemplate>> = {
  feedback: 'feedback', resolve: 'resolved', answer: 'resolved',
};

/** The notice to the lead unit of a case when a reporter merged into it is not satisfied with its answer. */
export function mergedRatingNotice(rootTrackingNo: string, trackingNo: string, resolved: boolean): { title: string; body: string } {
  return {
    title: `合并件评价不满意 ${rootTrackingNo}`,
    body: `合并到本件的诉求 ${trackingNo} 的诉求人对答复不满意${resolved ? '' : '，认为问题未解决'}，请核实并回复。`,
  };
}

/**
 * The text message for a template: the tracking number and where to look, nothing personal.
 * `tracking_code` also carries the one-time code (domain/otp.ts), given only at delivery.
 */
export function smsText(template: SmsTemplate, trackingNo: string, code?: string): string {
  switch (template) {
    case 'accepted': return `【诉求】您的诉求已受理，编号${trackingNo}。可凭编号和手机号查询办理进度。`;
    case 'feedback': return `【诉求】您的诉求（编号${trackingNo}）有新的办理进展，可凭编号和手机号查询。`;
    case 'resolved': return `【诉求】您的诉求（编号${trackingNo}）已办结，请查看答复并评价。`;
    case 'merged': return `【诉求】您的诉求（编号${trackingNo}）与同一事项的诉求合并办理，编号不变，可凭编号和手机号查询进度、评价答复。`;
    case 'tracking_code': return `【诉求】验证码${code ?? ''}，用于查询诉求${trackingNo}，10分钟内有效，仅可使用一次。请勿告诉他人。`;
  }
}
