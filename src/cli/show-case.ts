/** `suqiu case show`: a case and its timeline for the operator at the console, personal data masked. */
import type { Deps } from '../app/deps.ts';
import { STATUS_LABELS, type Status } from '../domain/case.ts';
import { notFound } from '../domain/errors.ts';
import { maskName, maskPhone } from '../domain/mask.ts';
import { ACTION_LABELS } from '../domain/timeline.ts';
import type { CaseAction } from '../domain/workflow.ts';
import { getCaseByTrackingNo, listEventsWithActors } from '../store/cases.queries.ts';

export async function showCase(deps: Deps, trackingNo: string, json: boolean): Promise<string> {
  const row = await getCaseByTrackingNo(deps.db.orm, trackingNo.trim().toUpperCase());
  if (!row) throw notFound(`case ${trackingNo}`);
  const events = await listEventsWithActors(deps.db.orm, row.id);
  const citizen = {
    name: row.citizenName ? maskName(deps.pii.decrypt(row.citizenName)) : null,
    phone: row.citizenPhone ? maskPhone(deps.pii.decrypt(row.citizenPhone)) : null,
  };
  const { citizenName: _n, citizenPhone: _p, citizenPhoneIndex: _i, ...rest } = row;
  if (json) return JSON.stringify({ ...rest, citizen, timeline: events }, null, 2);
  const lines = [
    `${row.trackingNo}  ${STATUS_LABELS[row.status as Status] ?? row.status} (${row.status})`,
    `  channel ${row.channel} · type ${row.type} · category ${row.category ?? '-'} · urgency ${row.urgency}`,
    `  intake ${row.intakeUnitCode} · lead ${row.leadUnitCode ?? '-'} · co ${row.coUnitCodes.join(',') || '-'}`,
    `  citizen ${row.anonymous ? '(anonymous)' : `${citizen.name ?? '-'} ${citizen.phone ?? '-'}`}`,
    `  ${row.content}`,
    ...(row.groupSize ? [`  group of ${row.groupSize}, amount ¥${row.amount ?? '-'}`] : []),
    ...(row.reply ? [`  reply: ${row.reply}`] : []),
    '  timeline:',
    ...events.map((e) => `    ${e.seq}. ${e.at.toISOString()} ${ACTION_LABELS[e.action as CaseAction] ?? e.action} (${e.action}) ${e.fromStatus ?? '∅'} → ${e.toStatus ?? '∅'} by ${e.actorName ?? e.actorRole}${e.actorUnit ? ` @ ${e.actorUnit}` : ''}`),
  ];
  return lines.join('\n');
}
