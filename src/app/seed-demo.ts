/**
 * A small demo dataset on top of the Shenzhen tree: one account per role with a generated password
 * (returned once, never stored in plain), and a handful of cases walked through the real use cases.
 */
import { randomBytes } from 'node:crypto';
import type { Role, StaffActor } from '../domain/actor.ts';
import { countUsers } from '../store/users.queries.ts';
import { ACTION_USE_CASES } from './actions/index.ts';
import { addUser } from './add-user.ts';
import { openBureauMailboxes } from './mailboxes.ts';
import type { Deps } from './deps.ts';
import { submitRequest, type SubmitInput } from './submit-request.ts';

const DEMO_USERS: { username: string; displayName: string; role: Role; unitCode: string }[] = [
  { username: 'operator', displayName: '市中心受理员', role: 'operator', unitCode: '4403' },
  { username: 'gm.operator', displayName: '光明区中心受理员', role: 'operator', unitCode: '440311' },
  { username: 'gm.leader', displayName: '光明区领导', role: 'leader', unitCode: '440311' },
  { username: 'yutang.handler', displayName: '玉塘街道承办人', role: 'handler', unitCode: '440311005' },
  { username: 'guangming.handler', displayName: '光明街道承办人', role: 'handler', unitCode: '440311001' },
  { username: 'rs.handler', displayName: '市人力资源和社会保障局承办人', role: 'handler', unitCode: '4403-RS' },
  { username: 'admin', displayName: '系统管理员', role: 'admin', unitCode: '4403' },
  { username: 'auditor', displayName: '安全审计员', role: 'auditor', unitCode: '4403' },
];

/** 16 characters from a CSPRNG, always with letters and digits. */
export function generatePassword(): string {
  for (;;) {
    const p = randomBytes(12).toString('base64url');
    if (/[A-Za-z]/.test(p) && /[0-9]/.test(p)) return p;
  }
}

type Step = [action: keyof typeof ACTION_USE_CASES, by: string, body: Record<string, unknown>];
const DEMO_CASES: { input: Partial<SubmitInput> & { content: string }; steps: Step[] }[] = [
  {
    input: { content: '玉塘街道田寮社区某小区门口路灯坏了一个多月，晚上很黑，老人孩子出行不安全。', type: 'complaint', category: '市政设施', unitCode: '440311005', address: '光明区玉塘街道田寮社区' },
    steps: [['dispatch', 'operator', { unitCode: '440311005' }], ['sign', 'yutang.handler', {}]],
  },
  {
    input: { content: '某工地拖欠我们23名工人工资共56万元，已经三个月了，年底要回家过年，请帮忙讨薪。', type: 'help', category: '劳动保障', unitCode: '440311005', groupSize: 23, amount: 560000 },
    steps: [
      ['dispatch', 'gm.operator', { unitCode: '440311005' }], ['sign', 'yutang.handler', {}],
      ['assist', 'yutang.handler', { unitCode: '4403-RS' }],
      ['contact', 'yutang.handler', { method: 'visit', note: '到工地现场约见工人代表和施工方' }],
      ['feedback', 'yutang.handler', { message: '已组织劳资双方现场调解，施工方承诺今日内支付。' }],
      ['resolve', 'yutang.handler', { reply: '经街道、人社部门联合调解，施工方已于当日足额支付23名工人工资56万元。' }],
    ],
  },
  {
    input: { content: '感谢光明街道工作人员耐心帮我办理了老年人优待证，服务非常周到！', type: 'praise', unitCode: '440311001' },
    steps: [['dispatch', 'gm.operator', { unitCode: '440311001' }], ['sign', 'guangming.handler', {}], ['resolve', 'guangming.handler', { reply: '感谢您的肯定，我们会继续努力。' }]],
  },
  {
    input: { content: '请问在深圳办理居住证需要准备哪些材料？', type: 'consult', category: '政务服务' },
    steps: [['answer', 'operator', { reply: '请携带身份证、租房合同或房产证明，到社区工作站或通过“i深圳”办理。' }]],
  },
  { input: { content: '光明区马田街道某路段晚上有渣土车超速行驶，噪音很大，存在安全隐患。', type: 'report', category: '交通管理', unitCode: '440311006' }, steps: [] },
];

/**
 * Creates the demo accounts and cases when no account exists yet. Returns the logins (with their
 * one-time passwords), or an empty list when the database already had accounts.
 */
export async function seedDemo(deps: Deps): Promise<{ username: string; password: string; role: Role; unitCode: string }[]> {
  if ((await countUsers(deps.db.orm)) > 0) return [];
  const logins = [];
  const actors = new Map<string, StaffActor>();
  for (const u of DEMO_USERS) {
    const password = generatePassword();
    const created = await addUser(deps, { ...u, password });
    actors.set(u.username, { kind: 'staff', id: created.id, role: u.role, unitCode: u.unitCode });
    logins.push({ username: u.username, password, role: u.role, unitCode: u.unitCode });
  }
  await openBureauMailboxes(deps);
  for (const [i, demo] of DEMO_CASES.entries()) {
    const phone = `1380000${String(1001 + i).padStart(4, '0')}`;
    const { caseId } = await submitRequest(deps, null, {
      type: 'help', channel: demo.input.unitCode ? 'qr' : 'web', urgency: 'normal',
      citizen: { name: '演示市民', phone, anonymous: false }, ...demo.input,
    } as SubmitInput);
    for (const [action, by, body] of demo.steps) {
      const useCase = ACTION_USE_CASES[action];
      await useCase.run(deps, actors.get(by)!, caseId, useCase.body.parse(body));
    }
  }
  return logins;
}
