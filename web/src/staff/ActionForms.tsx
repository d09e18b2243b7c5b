/**
 * One button per action in the case's `allowedActions` (nothing else decides what shows), each
 * opening a form drawn from the action's JSON Schema (GET /api/v1/actions, generated on the
 * server from the same zod schemas that validate the body).
 */
import { useEffect, useState } from 'react';
import { Alert, Button, Form, Input, InputNumber, Modal, Radio, Select, Space } from 'antd';
import { errorText } from '../api.ts';
import { useI18n, type T } from '../i18n.tsx';
import { useSession } from './session.tsx';
import { UnitPicker } from './UnitPicker.tsx';
import type { CaseView } from './types.ts';

interface Prop { type?: string; enum?: string[]; const?: string; minLength?: number; maxLength?: number; pattern?: string; minimum?: number; maximum?: number;
  exclusiveMinimum?: number; default?: unknown; format?: string; items?: Prop; minItems?: number; maxItems?: number }
interface ObjSchema { type?: 'object'; properties?: Record<string, Prop>; required?: string[]; oneOf?: ObjSchema[] }
interface ActionForm { action: string; label: string; schema: ObjSchema }

let formsCache: Promise<Map<string, ActionForm>> | null = null;
function useForms(call: ReturnType<typeof useSession>['call']) {
  const [forms, setForms] = useState<Map<string, ActionForm> | null>(null);
  useEffect(() => {
    formsCache ??= call<{ items: ActionForm[] }>('/api/v1/actions').then((r) => new Map(r.items.map((f) => [f.action, f])));
    formsCache.then(setForms, () => {
      formsCache = null;
    });
  }, [call]);
  return forms;
}

/** Actions drawn as the main (filled) button: the step that moves the case on. */
const PRIMARY = new Set(['dispatch', 'sign', 'resolve', 'answer', 'co_sign', 'rule_return']);
/** Shown elsewhere on the page (reveal beside the masked data, attach with the files). */
const ELSEWHERE = new Set(['reveal', 'attach']);

function Field({ name, prop, required, t }: { name: string; prop: Prop; required: boolean; t: T }) {
  const label = t.has(`field.${name}`) ? t(`field.${name}` as never) : name;
  const rules: object[] = [];
  if (required) rules.push({ required: true, message: t('err.required') });
  if (prop.minLength && prop.minLength > 1) rules.push({ min: prop.minLength, message: t('err.min', { n: prop.minLength }) });
  if (prop.maxLength) rules.push({ max: prop.maxLength, message: t('err.max', { n: prop.maxLength }) });
  let control: React.ReactNode;
  if (name === 'unitCode') control = <UnitPicker />;
  else if (prop.type === 'array' && prop.items?.pattern && /A-Za-z/.test(prop.items.pattern)) control = <UnitPicker mode="multiple" />;
  else if (prop.enum) control = <Select options={prop.enum.map((v) => ({ value: v, label: t.label(`enum.${name}`, v) }))} />;
  else if (prop.type === 'boolean') {
    control = <Radio.Group options={[{ value: true, label: t('common.yes') }, { value: false, label: t('common.no') }]} />;
  } else if (prop.type === 'number') control = <InputNumber min={prop.exclusiveMinimum ?? prop.minimum} max={prop.maximum} style={{ width: '100%' }} />;
  else if (prop.type === 'array') control = <Select mode="tags" />;
  else if ((prop.maxLength ?? 0) > 200) control = <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} showCount maxLength={prop.maxLength} />;
  else control = <Input maxLength={prop.maxLength} />;
  return <Form.Item name={name} label={label} rules={rules} initialValue={prop.default}>{control}</Form.Item>;
}

function SchemaFields({ schema, t, values }: { schema: ObjSchema; t: T; values: Record<string, unknown> }) {
  if (schema.oneOf) {
    // A discriminated union: the constant field picks the branch, then that branch's fields.
    const first = schema.oneOf[0]!;
    const key = Object.entries(first.properties ?? {}).find(([, p]) => p.const !== undefined)?.[0] ?? 'decision';
    const branch = schema.oneOf.find((b) => b.properties?.[key]?.const === values[key]);
    return (
      <>
        <Form.Item name={key} label={t.has(`field.${key}`) ? t(`field.${key}` as never) : key} rules={[{ required: true, message: t('err.required') }]}>
          <Radio.Group options={schema.oneOf.map((b) => b.properties![key]!.const!).map((v) => ({ value: v, label: t.label(`enum.${key}`, v) }))} />
        </Form.Item>
        {branch && <SchemaFields schema={{ ...branch, properties: Object.fromEntries(Object.entries(branch.properties ?? {}).filter(([k]) => k !== key)) }} t={t} values={values} />}
      </>
    );
  }
  return (
    <>
      {Object.entries(schema.properties ?? {}).map(([name, prop]) => (
        <Field key={name} name={name} prop={prop} required={schema.required?.includes(name) ?? false} t={t} />
      ))}
    </>
  );
}

export function ActionButtons({ c, onDone }: { c: CaseView; onDone: (c: CaseView) => void }) {
  const { t } = useI18n();
  const { call } = useSession();
  const forms = useForms(call);
  const [open, setOpen] = useState<ActionForm | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm();
  const values = Form.useWatch([], form) ?? {};
  const actions = c.allowedActions.filter((a) => !ELSEWHERE.has(a));
  if (actions.length === 0) return null;

  async function submit(v: Record<string, unknown>) {
    if (!open) return;
    setBusy(true);
    setError(null);
    try {
      const body = Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined && x !== ''));
      const view = await call<CaseView>(`/api/v1/cases/${c.id}/actions/${open.action}`, { body });
      setOpen(null);
      form.resetFields();
      onDone(view);
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <Space wrap>
        {actions.map((a) => {
          const f = forms?.get(a);
          return (
            <Button key={a} type={PRIMARY.has(a) ? 'primary' : 'default'} disabled={!f} data-action={a}
              onClick={() => { setError(null); form.resetFields(); setOpen(f ?? null); }}>
              {t.label('action', a, f?.label)}
            </Button>
          );
        })}
      </Space>
      <Modal open={!!open} title={open ? `${t.label('action', open.action, open.label)} · ${c.trackingNo}` : ''} onCancel={() => setOpen(null)}
        okText={t('common.confirm')} cancelText={t('common.cancel')} confirmLoading={busy} onOk={() => form.submit()} destroyOnHidden>
        {open && (
          <Form form={form} layout="vertical" onFinish={submit} requiredMark="optional">
            <SchemaFields schema={open.schema} t={t} values={values as Record<string, unknown>} />
            {error && <Alert type="error" showIcon title={error} role="alert" />}
            <button type="submit" hidden aria-hidden tabIndex={-1} />
          </Form>
        )}
      </Modal>
    </>
  );
}
