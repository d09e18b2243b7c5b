/** The org tree, loaded level by level; a community can get a new N-type site (POST …/sites). */
import { useEffect, useState } from 'react';
import { Alert, App, Button, Form, Input, Modal, Select, Space, Tag, Tree, Typography } from 'antd';
import type { TreeDataNode } from 'antd';
import { SITE_TYPES } from '@domain/org.ts';
import { api, errorText } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import { useSession } from '../staff/session.tsx';

interface Unit { code: string; name: string; kind: string; siteType?: string | null }
interface UnitView extends Unit { children: Unit[] }
type Node = TreeDataNode & { unit: Unit };

const toNode = (u: Unit): Node => ({ key: u.code, title: u.name, unit: u, isLeaf: u.kind === 'site' || u.kind === 'station' });

function replaceChildren(list: Node[], key: React.Key, children: Node[]): Node[] {
  return list.map((n) => (n.key === key ? { ...n, children } : n.children ? { ...n, children: replaceChildren(n.children as Node[], key, children) } : n));
}

export function OrgTree() {
  const { t } = useI18n();
  const { call } = useSession();
  const { message } = App.useApp();
  const [tree, setTree] = useState<Node[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [adding, setAdding] = useState<Unit | null>(null);
  const [expanded, setExpanded] = useState<React.Key[]>([]);
  const [form] = Form.useForm<{ name: string; siteType: string }>();

  useEffect(() => {
    api<{ items: Unit[] }>('/api/v1/units?kind=city&limit=5').then((r) => setTree(r.items.map(toNode)), (e) => setError(errorText(t, e)));
  }, [t]);
  const loadChildren = async (code: string) => {
    const v = await api<UnitView>(`/api/v1/units/${encodeURIComponent(code)}`);
    setTree((old) => replaceChildren(old, code, v.children.map(toNode)));
  };

  return (
    <>
      {error && <Alert type="error" showIcon title={error} />}
      <Typography.Paragraph type="secondary">{t('a.org.intro')}</Typography.Paragraph>
      <Tree<Node> treeData={tree} loadData={(n) => loadChildren(String(n.key))} showLine blockNode
        expandedKeys={expanded} onExpand={(keys) => setExpanded(keys)}
        titleRender={(n) => (
          <Space size="small">
            <span>{n.unit.name}</span>
            <Tag>{t.label('kind', n.unit.kind)}{n.unit.siteType ? ` · ${t.label('site', n.unit.siteType)}` : ''}</Tag>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{n.unit.code}</Typography.Text>
            {n.unit.kind === 'community' && (
              <Button size="small" onClick={(e) => { e.stopPropagation(); form.resetFields(); setAdding(n.unit); }}>{t('a.org.addSite')}</Button>
            )}
          </Space>
        )} />
      <Modal open={!!adding} title={`${t('a.org.addSite')} · ${adding?.name ?? ''}`} onCancel={() => setAdding(null)} onOk={() => form.submit()}
        okText={t('common.confirm')} cancelText={t('common.cancel')} destroyOnHidden>
        <Form form={form} layout="vertical" onFinish={async (v) => {
          try {
            await call(`/api/v1/units/${encodeURIComponent(adding!.code)}/sites`, { body: v });
            void message.success(t('s.done'));
            await loadChildren(adding!.code);
            setExpanded((keys) => [...new Set([...keys, adding!.code])]);
            setAdding(null);
          } catch (e) {
            void message.error(errorText(t, e));
          }
        }}>
          <Form.Item name="name" label={t('a.org.siteName')} rules={[{ required: true, message: t('err.required') }, { max: 60 }]}><Input autoFocus /></Form.Item>
          <Form.Item name="siteType" label={t('a.org.siteType')} rules={[{ required: true, message: t('err.required') }]}>
            <Select options={SITE_TYPES.map((s) => ({ value: s, label: t.label('site', s) }))} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
