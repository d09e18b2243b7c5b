/**
 * 书记在线 QR codes: pick a unit, see its code and those of its children, ready to print (the
 * browser's print). The print-ready PDF of posters comes from `suqiu qr --unit CODE --subtree`.
 */
import { useEffect, useState } from 'react';
import { Button, Card, Col, Empty, Row, Space, Typography } from 'antd';
import { QR_UNIT_KINDS } from '@domain/channel.ts';
import type { UnitKind } from '@domain/org.ts';
import { api } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import { UnitPicker } from '../staff/UnitPicker.tsx';

interface Unit { code: string; name: string; kind: UnitKind; fullName?: string; children?: Unit[] }

export function QrSheets() {
  const { t } = useI18n();
  const [code, setCode] = useState<string | undefined>();
  const [unit, setUnit] = useState<Unit | null>(null);
  useEffect(() => {
    if (!code) return;
    api<Unit>(`/api/v1/units/${encodeURIComponent(code)}`).then(setUnit, () => setUnit(null));
  }, [code]);
  const withQr = unit ? [unit, ...(unit.children ?? [])].filter((u) => QR_UNIT_KINDS.includes(u.kind)) : [];
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <UnitPicker value={code} onChange={setCode} style={{ width: 320 }} aria-label={t('field.unitCode')} />
        <Button onClick={() => window.print()} disabled={withQr.length === 0}>{t('a.qr.print')}</Button>
      </Space>
      <Typography.Text type="secondary">{t('a.qr.hint')}</Typography.Text>
      {unit && withQr.length === 0 && <Empty description={t('a.qr.none')} />}
      <Row gutter={[12, 12]}>
        {withQr.map((u) => (
          <Col key={u.code} xs={12} sm={8} md={6} xl={4}>
            <Card size="small" cover={<img src={`/api/v1/units/${encodeURIComponent(u.code)}/qr.svg`} alt={`${t('c.qr.title')} · ${u.name}`} style={{ padding: 8 }} />}>
              <Card.Meta title={u.name} description={<Space size="small" wrap>
                <a href={`/api/v1/units/${encodeURIComponent(u.code)}/qr.png`} download={`${u.code}.png`}>PNG</a>
                <a href={`/r/${encodeURIComponent(u.code)}`} target="_blank" rel="noreferrer">{t('a.qr.open')}</a>
              </Space>} />
            </Card>
          </Col>
        ))}
      </Row>
    </Space>
  );
}
