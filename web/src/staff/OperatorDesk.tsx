/**
 * The operator's desk (受理台): register a walk-in visit or a hotline call fast from the keyboard
 * — Tab through the fields, Ctrl+Enter (⌘+Enter) to register — and dispatch or answer it in the
 * same request (POST /api/v1/intake). The unit to dispatch to is suggested by the server's routing
 * rules as the request is typed (POST /api/v1/intel/route), one click picks it; category
 * suggestions appear once the server offers them. Nothing is guessed in the browser.
 */
import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Card, Col, Form, Input, InputNumber, Radio, Row, Select, Space, Typography } from 'antd';
import type { InputRef } from 'antd';
import { Link } from 'wouter';
import { CASE_TYPES, URGENCIES } from '@domain/case.ts';
import { errorText, newKey } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import { useMe, useSession } from './session.tsx';
import { UnitPicker } from './UnitPicker.tsx';
import { IntelCard, RouteView, type Route } from './IntelCard.tsx';
import type { CaseView } from './types.ts';

interface DeskForm {
  channel: 'walk_in' | 'hotline'; callerNumber?: string; name?: string; phone?: string; content: string; type: string;
  category?: string; address?: string; urgency: string; groupSize?: number; amount?: number; then: 'none' | 'dispatch' | 'answer';
  unitCode?: string; reply?: string;
}

export default function OperatorDesk() {
  const { t } = useI18n();
  const { call } = useSession();
  const me = useMe();
  const [form] = Form.useForm<DeskForm>();
  const channel = Form.useWatch('channel', form) ?? 'hotline';
  const then = Form.useWatch('then', form);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [last, setLast] = useState<CaseView | null>(null);
  const first = useRef<InputRef>(null);
  const idem = useRef(newKey());

  useEffect(() => {
    first.current?.focus();
  }, []);

  // The server reads the place from the address (the intelligence API); the operator decides.
  const [place, setPlace] = useState<{ unitCode: string; name: string; kind: string } | null>(null);
  async function locate(text: string) {
    if (!text.trim()) return setPlace(null);
    const r = await call<{ result: { unitCode: string; name: string; kind: string } | null }>('/api/v1/intel/resolve-address', { body: { text } }).catch(() => null);
    setPlace(r?.result ?? null);
  }

  // The routing rules' suggestion for what is typed so far; a stale answer is dropped.
  const [route, setRoute] = useState<Route | null>(null);
  const asked = useRef(0);
  async function suggest() {
    const v = form.getFieldsValue();
    if (!v.content || v.content.trim().length < 5) return setRoute(null);
    const n = ++asked.current;
    const body = { text: v.content, address: v.address || undefined, channel: v.channel, type: v.type, category: v.category || undefined };
    const r = await call<{ route: Route }>('/api/v1/intel/route', { body }).catch(() => null);
    if (n === asked.current) setRoute(r?.route ?? null);
  }

  async function submit(v: DeskForm) {
    setBusy(true);
    setError(null);
    try {
      const body = {
        channel: v.channel, callerNumber: v.channel === 'hotline' ? v.callerNumber || undefined : undefined,
        content: v.content, type: v.type, category: v.category || undefined, address: v.address || undefined, urgency: v.urgency,
        groupSize: v.groupSize || undefined, amount: v.amount || undefined,
        citizen: { name: v.name || undefined, phone: v.phone || undefined, anonymous: false },
        then: v.then === 'dispatch' ? { dispatch: { unitCode: v.unitCode } } : v.then === 'answer' ? { answer: { reply: v.reply } } : undefined,
      };
      const view = await call<CaseView>('/api/v1/intake', { body, idempotencyKey: idem.current });
      setLast(view);
      idem.current = newKey();
      form.resetFields();
      setPlace(null);
      asked.current++;
      setRoute(null);
      form.setFieldsValue({ channel: v.channel });
      first.current?.focus();
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={16}>
        <Card title={t('s.desk.title')} extra={<Typography.Text type="secondary">{t('s.desk.keys')}</Typography.Text>}>
          <Form<DeskForm> form={form} layout="vertical" onFinish={submit}
            initialValues={{ channel: 'hotline', type: 'help', urgency: 'normal', then: 'none' }}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                form.submit();
              }
            }}>
            <Form.Item name="channel" label={t('s.desk.channel')}>
              <Radio.Group optionType="button" options={[{ value: 'hotline', label: t('channel.hotline') }, { value: 'walk_in', label: t('channel.walk_in') }]} />
            </Form.Item>
            <Row gutter={12}>
              {channel === 'hotline' && (
                <Col xs={24} sm={8}>
                  <Form.Item name="callerNumber" label={t('s.desk.caller')}><Input ref={first} inputMode="tel" /></Form.Item>
                </Col>
              )}
              <Col xs={24} sm={8}>
                <Form.Item name="name" label={t('field.citizen.name')}><Input ref={channel === 'hotline' ? undefined : first} autoComplete="off" /></Form.Item>
              </Col>
              <Col xs={24} sm={8}>
                <Form.Item name="phone" label={t('field.citizen.phone')} extra={channel === 'hotline' ? t('s.desk.phoneHint') : undefined}
                  rules={channel === 'walk_in' ? [{ required: true, message: t('err.required') }] : []}>
                  <Input inputMode="tel" autoComplete="off" />
                </Form.Item>
              </Col>
            </Row>
            <Form.Item name="content" label={t('s.request')} rules={[{ required: true, message: t('err.required') }, { min: 5, message: t('err.min', { n: 5 }) }]}>
              <Input.TextArea autoSize={{ minRows: 4, maxRows: 12 }} maxLength={5000} showCount onBlur={() => void suggest()} />
            </Form.Item>
            <Row gutter={12}>
              <Col xs={12} sm={6}>
                <Form.Item name="type" label={t('field.type')}><Select options={CASE_TYPES.map((k) => ({ value: k, label: t(`type.${k}`) }))} /></Form.Item>
              </Col>
              <Col xs={12} sm={6}>
                <Form.Item name="urgency" label={t('field.urgency')}><Select options={URGENCIES.map((k) => ({ value: k, label: t.label('enum.urgency', k) }))} /></Form.Item>
              </Col>
              <Col xs={24} sm={12}>
                <Form.Item name="category" label={t('s.f.category')}><Input maxLength={40} onBlur={() => void suggest()} /></Form.Item>
              </Col>
            </Row>
            <Row gutter={12}>
              <Col xs={24} sm={12}>
                <Form.Item name="address" label={t('field.address')}
                  extra={place && (
                    <Space size={4} wrap>
                      {t('s.desk.place', { name: place.name, kind: t.label('kind', place.kind) })}
                      <Button size="small" type="link" onClick={() => form.setFieldsValue({ then: 'dispatch', unitCode: place.unitCode })}>{t('s.desk.dispatchThere')}</Button>
                    </Space>
                  )}>
                  <Input maxLength={200} onBlur={(e) => { void locate(e.target.value); void suggest(); }} />
                </Form.Item>
              </Col>
              <Col xs={12} sm={6}><Form.Item name="groupSize" label={t('s.groupSize')}><InputNumber min={1} max={100000} style={{ width: '100%' }} /></Form.Item></Col>
              <Col xs={12} sm={6}><Form.Item name="amount" label={t('field.amount')}><InputNumber min={0} step={100} style={{ width: '100%' }} /></Form.Item></Col>
            </Row>
            {route && (
              <div style={{ marginBottom: 16 }}>
                <RouteView route={route} onPick={(unitCode) => form.setFieldsValue({ then: 'dispatch', unitCode })} />
              </div>
            )}
            <Form.Item name="then" label={t('s.desk.then')}>
              <Radio.Group options={[
                { value: 'none', label: t('s.desk.thenNone') }, { value: 'dispatch', label: t('s.desk.thenDispatch') }, { value: 'answer', label: t('s.desk.thenAnswer') },
              ]} />
            </Form.Item>
            {then === 'dispatch' && (
              <Form.Item name="unitCode" label={t('field.unitCode')} rules={[{ required: true, message: t('err.required') }]}>
                <UnitPicker within={me.unitCode} />
              </Form.Item>
            )}
            {then === 'answer' && (
              <Form.Item name="reply" label={t('field.reply')} rules={[{ required: true, message: t('err.required') }]}>
                <Input.TextArea autoSize={{ minRows: 3 }} maxLength={5000} />
              </Form.Item>
            )}
            {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 16 }} />}
            <Space>
              <Button type="primary" htmlType="submit" loading={busy}>{t('s.desk.submit')}</Button>
              <Button onClick={() => { form.resetFields(); asked.current++; setRoute(null); first.current?.focus(); }}>{t('s.desk.clear')}</Button>
            </Space>
          </Form>
        </Card>
      </Col>
      <Col xs={24} xl={8}>
        <Card title={t('s.desk.last')}>
          {last ? (
            <Space orientation="vertical">
              <Typography.Text>{t('s.desk.registered')}</Typography.Text>
              <Link href={`/cases/${last.id}`} data-testid="desk-tracking"><Typography.Title level={4} style={{ margin: 0 }}>{last.trackingNo}</Typography.Title></Link>
              <Typography.Text>{t.label('status', last.status, last.statusLabel)}{last.leadUnit ? ` → ${last.leadUnit.name}` : ''}</Typography.Text>
            </Space>
          ) : <Typography.Text type="secondary">{t('s.desk.nothing')}</Typography.Text>}
        </Card>
        {last ? <div style={{ marginTop: 16 }}><IntelCard c={last} onChanged={() => void call<CaseView>(`/api/v1/cases/${last.id}`).then(setLast, () => undefined)} /></div> : (
          <Card title={t('s.intel')} style={{ marginTop: 16 }}>
            <Typography.Text type="secondary">{t('s.desk.suggestAfter')}</Typography.Text>
          </Card>
        )}
      </Col>
    </Row>
  );
}
