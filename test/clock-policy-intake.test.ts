/** Petition and complex cases get their own clock policies, chosen at intake. */
import { describe, expect, it } from 'vitest';
import { useApp } from './app-harness.ts';

describe('policy chosen at intake', () => {
  const h = useApp('postgres');
  const clocksOf = async (auth: { authorization: string }, caseId: string) =>
    (await h().app.inject({ method: 'GET', url: `/api/v1/cases/${caseId}`, headers: auth })).json().clocks as { name: string; dueAt: string | null }[];

  it('a petition gets 15 days to decide acceptance; a complex case 15 working days to resolve', async () => {
    const { app, staff, clock } = h();
    const op = await staff('op', 'operator', '440311');
    const petition = await app.inject({
      method: 'POST', url: '/api/v1/requests',
      payload: { content: '就征地补偿问题提出信访请求', petition: true, unitCode: '440311005', citizen: { phone: '13700003333' } },
    });
    expect(petition.statusCode, petition.body).toBe(201);
    const p = await clocksOf(op, petition.json().caseId);
    expect(p.map((c) => c.name)).toEqual(expect.arrayContaining(['petition_accept', 'petition_handle']));
    const accept = p.find((c) => c.name === 'petition_accept')!;
    expect(+new Date(accept.dueAt!) - +clock.now).toBe(15 * 86_400_000);

    // A citizen cannot declare a request complex; an operator can.
    const publicComplex = await app.inject({
      method: 'POST', url: '/api/v1/requests',
      payload: { content: '小区外墙脱落多户受影响', complex: true, unitCode: '440311005', citizen: { phone: '13700003334' } },
    });
    const general = await clocksOf(op, publicComplex.json().caseId);
    const complex = await app.inject({
      method: 'POST', url: '/api/v1/intake', headers: op,
      payload: { channel: 'walk_in', content: '小区外墙脱落多户受影响', complex: true, unitCode: '440311005', citizen: { phone: '13700003335' } },
    });
    expect(complex.statusCode, complex.body).toBeLessThan(300);
    const hard = complex.json().clocks as { name: string; dueAt: string | null }[];
    const due = (cs: { name: string; dueAt: string | null }[]) => +new Date(cs.find((c) => c.name === 'resolve')!.dueAt!);
    expect(due(hard)).toBeGreaterThan(due(general));
  });
});
