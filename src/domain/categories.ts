/**
 * The category catalogue (诉求分类): what a citizen's request is about. One entry per case
 * category; `cases.category` stores the entry's `code`. The same list is the Open311 service
 * list, the citizen form's choices and the classifier's label set, so codes are stable ASCII and
 * never reused. Some categories ask extra questions (`attributes`, Open311 "service definition").
 * Pure data and pure functions; no I/O.
 */
import type { CaseType } from './case.ts';
import { badInput } from './errors.ts';

/** Bump when a category or attribute changes: clients re-read the catalogue when it moves. */
export const CATALOGUE_VERSION = '2026-11-27';

/** Open311 GeoReport v2 attribute datatypes. */
export const ATTRIBUTE_DATATYPES = ['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'] as const;
export type AttributeDatatype = (typeof ATTRIBUTE_DATATYPES)[number];

export interface AttributeValue {
  key: string;
  name: string;
}

/** One extra question a category asks. */
export interface CategoryAttribute {
  /** ASCII, unique within the category; the form field is `attribute[code]`. */
  code: string;
  /** Short label for forms and for the line written into the case text (e.g. 噪音时段). */
  label: string;
  /** The question shown to the citizen. */
  description: string;
  datatype: AttributeDatatype;
  required: boolean;
  /** 1 is shown first. */
  order: number;
  /** Choices of a singlevaluelist or multivaluelist. */
  values?: AttributeValue[];
}

export interface Category {
  /** Stable ASCII code, e.g. `streetlight`; what `cases.category` holds. */
  code: string;
  /** Chinese name, e.g. 路灯故障. */
  name: string;
  description: string;
  /** Synonyms citizens use; also seeds for the classifier. */
  keywords: string[];
  /** Group shown above the category, e.g. 市政设施. */
  group: string;
  /** The case type a request in this category usually is. */
  caseType: CaseType;
  /** True when the category asks extra questions (Open311 `metadata`). */
  metadata: boolean;
  attributes: CategoryAttribute[];
}

type CategoryInput = Omit<Category, 'metadata' | 'attributes'> & { attributes?: CategoryAttribute[] };
const def = (c: CategoryInput): Category => ({ ...c, attributes: c.attributes ?? [], metadata: (c.attributes?.length ?? 0) > 0 });
const list = (...pairs: [string, string][]): AttributeValue[] => pairs.map(([key, name]) => ({ key, name }));

const SCOPE = list(['household', '本户'], ['building', '整栋楼'], ['estate', '整个小区'], ['area', '周边片区']);

/** The catalogue, grouped; `other` is the fallback for anything unclassified. */
export const CATEGORIES: readonly Category[] = [
  // 市政设施
  def({
    code: 'streetlight', name: '路灯故障', group: '市政设施', caseType: 'complaint',
    description: '路灯不亮、白天常亮、闪烁、灯杆倾斜或损坏。', keywords: ['路灯', '灯不亮', '灯杆', '照明'],
    attributes: [
      { code: 'lamp_count', label: '故障路灯数量', description: '有几盏路灯不亮？', datatype: 'number', required: false, order: 1 },
      { code: 'pole_number', label: '灯杆编号', description: '灯杆上喷印的编号（如有）', datatype: 'string', required: false, order: 2 },
    ],
  }),
  def({
    code: 'road_damage', name: '道路破损', group: '市政设施', caseType: 'complaint',
    description: '路面坑洼、塌陷、开裂，人行道砖松动或缺失。', keywords: ['坑洼', '塌陷', '路面', '人行道', '地砖'],
    attributes: [
      { code: 'hazard', label: '危险程度', description: '是否已影响通行安全？', datatype: 'singlevaluelist', required: true, order: 1,
        values: list(['minor', '轻微，尚可通行'], ['risky', '有安全隐患'], ['blocked', '已无法通行']) },
    ],
  }),
  def({
    code: 'manhole_cover', name: '井盖缺失破损', group: '市政设施', caseType: 'complaint',
    description: '井盖丢失、破损、移位或异响。', keywords: ['井盖', '窨井', '下水井'],
  }),
  def({
    code: 'drainage', name: '排水不畅', group: '市政设施', caseType: 'complaint',
    description: '道路积水、下水道堵塞、污水外溢。', keywords: ['积水', '内涝', '下水道', '堵塞', '污水外溢'],
  }),
  def({
    code: 'public_facility', name: '公共设施损坏', group: '市政设施', caseType: 'complaint',
    description: '护栏、公交候车亭、公共座椅、公厕、健身器材等损坏。', keywords: ['护栏', '公厕', '健身器材', '座椅', '候车亭'],
  }),
  // 市容环境
  def({
    code: 'garbage', name: '垃圾清运', group: '市容环境', caseType: 'complaint',
    description: '生活垃圾、建筑垃圾未及时清运，垃圾桶满溢。', keywords: ['垃圾', '清运', '垃圾桶', '建筑垃圾', '卫生'],
  }),
  def({
    code: 'street_vendor', name: '占道经营', group: '市容环境', caseType: 'complaint',
    description: '流动摊贩、店外经营占用道路或人行道。', keywords: ['摆摊', '流动摊贩', '占道', '出店经营'],
  }),
  def({
    code: 'illegal_ad', name: '乱张贴乱涂写', group: '市容环境', caseType: 'complaint',
    description: '小广告、乱张贴、乱涂写、乱悬挂。', keywords: ['小广告', '牛皮癣', '涂鸦', '横幅'],
  }),
  def({
    code: 'illegal_building', name: '违法建设', group: '市容环境', caseType: 'report',
    description: '违章搭建、私自加建、改变房屋结构。', keywords: ['违建', '违章搭建', '加建', '违法建筑'],
  }),
  def({
    code: 'greenery', name: '园林绿化', group: '市容环境', caseType: 'complaint',
    description: '树木倒伏、枯死、遮挡，绿地被毁，需要修剪。', keywords: ['树木', '绿化', '修剪', '倒伏', '草坪'],
    attributes: [
      { code: 'tree_issue', label: '树木问题', description: '树木出现了什么问题？', datatype: 'singlevaluelist', required: true, order: 1,
        values: list(['fallen', '倒伏或断枝'], ['dead', '枯死'], ['blocking', '遮挡道路、路灯或窗户'], ['pests', '病虫害'], ['other', '其他']) },
    ],
  }),
  // 生态环境
  def({
    code: 'noise', name: '噪音扰民', group: '生态环境', caseType: 'complaint',
    description: '施工、商业经营、娱乐场所、生活等噪音扰民。', keywords: ['噪音', '噪声', '扰民', '吵', '夜间施工', '广场舞'],
    attributes: [
      { code: 'noise_source', label: '噪音来源', description: '噪音来自哪里？', datatype: 'singlevaluelist', required: true, order: 1,
        values: list(['construction', '建筑施工'], ['business', '商业经营'], ['entertainment', '娱乐场所'], ['traffic', '交通'], ['neighbour', '邻里生活'], ['other', '其他']) },
      { code: 'noise_time', label: '噪音时段', description: '噪音主要在什么时段？', datatype: 'singlevaluelist', required: true, order: 2,
        values: list(['day', '白天（6:00–22:00）'], ['night', '夜间（22:00–次日6:00）'], ['all_day', '全天']) },
    ],
  }),
  def({
    code: 'air_pollution', name: '大气污染', group: '生态环境', caseType: 'complaint',
    description: '餐饮油烟、工地扬尘、焚烧垃圾、工厂废气或异味。', keywords: ['油烟', '扬尘', '异味', '废气', '焚烧'],
    attributes: [
      { code: 'pollution_type', label: '污染类型', description: '是哪一类污染？（可多选）', datatype: 'multivaluelist', required: true, order: 1,
        values: list(['cooking_fume', '餐饮油烟'], ['dust', '扬尘'], ['burning', '露天焚烧'], ['exhaust', '工业废气'], ['odour', '异味']) },
    ],
  }),
  def({
    code: 'water_pollution', name: '水体污染', group: '生态环境', caseType: 'complaint',
    description: '河道黑臭、污水直排、水面漂浮物。', keywords: ['河道', '黑臭', '污水', '排污', '漂浮物'],
  }),
  // 交通出行
  def({
    code: 'illegal_parking', name: '违章停车', group: '交通出行', caseType: 'complaint',
    description: '车辆乱停乱放，占用消防通道、人行道或出入口。', keywords: ['乱停车', '违停', '堵门', '消防通道'],
    attributes: [
      { code: 'blocking', label: '占用位置', description: '车辆占用了哪里？', datatype: 'singlevaluelist', required: true, order: 1,
        values: list(['fire_lane', '消防通道'], ['sidewalk', '人行道'], ['entrance', '出入口'], ['road', '行车道'], ['other', '其他']) },
    ],
  }),
  def({
    code: 'traffic_signal', name: '交通信号设施', group: '交通出行', caseType: 'complaint',
    description: '红绿灯故障、配时不合理，交通标志标线缺失。', keywords: ['红绿灯', '信号灯', '标线', '交通标志'],
  }),
  def({
    code: 'public_transport', name: '公交服务', group: '交通出行', caseType: 'complaint',
    description: '公交线路、站点设置、班次、驾驶员服务问题。', keywords: ['公交', '地铁', '班次', '站点', '司机'],
    attributes: [
      { code: 'line', label: '线路', description: '涉及哪条公交或地铁线路？', datatype: 'string', required: false, order: 1 },
    ],
  }),
  // 水电气
  def({
    code: 'water_supply', name: '供水问题', group: '水电气', caseType: 'help',
    description: '停水、水压低、水质浑浊、水管爆裂。', keywords: ['停水', '水压', '水质', '爆管', '自来水'],
    attributes: [
      { code: 'scope', label: '影响范围', description: '影响范围有多大？', datatype: 'singlevaluelist', required: true, order: 1, values: SCOPE },
    ],
  }),
  def({
    code: 'power_supply', name: '供电问题', group: '水电气', caseType: 'help',
    description: '停电、电压不稳、电线私拉乱接。', keywords: ['停电', '电压', '电线', '跳闸'],
    attributes: [
      { code: 'scope', label: '影响范围', description: '影响范围有多大？', datatype: 'singlevaluelist', required: true, order: 1, values: SCOPE },
    ],
  }),
  def({
    code: 'gas_supply', name: '燃气问题', group: '水电气', caseType: 'help',
    description: '燃气停供、气压不足、管道老化（闻到燃气泄漏请立即拨打 119）。', keywords: ['燃气', '煤气', '天然气', '停气'],
  }),
  // 住房物业
  def({
    code: 'property_management', name: '物业管理', group: '住房物业', caseType: 'complaint',
    description: '物业服务不到位、收费争议、公共区域管理。', keywords: ['物业', '物业费', '小区管理', '保安', '保洁'],
  }),
  def({
    code: 'elevator', name: '电梯故障', group: '住房物业', caseType: 'help',
    description: '电梯停运、频繁故障、困人（有人被困请立即拨打 119）。', keywords: ['电梯', '困人', '停运'],
    attributes: [
      { code: 'status', label: '电梯状况', description: '电梯现在的状况？', datatype: 'singlevaluelist', required: true, order: 1,
        values: list(['stopped', '停运'], ['faulty', '能运行但经常故障'], ['unsafe', '运行异常，有安全隐患']) },
    ],
  }),
  // 劳动保障
  def({
    code: 'wage_arrears', name: '拖欠工资', group: '劳动保障', caseType: 'help',
    description: '用人单位或工地拖欠劳动者工资。', keywords: ['欠薪', '讨薪', '拖欠工资', '农民工工资'],
    attributes: [
      { code: 'workers', label: '涉及人数', description: '一共有多少人被拖欠工资？', datatype: 'number', required: true, order: 1 },
      { code: 'since', label: '拖欠起始时间', description: '从什么时候开始拖欠？', datatype: 'datetime', required: false, order: 2 },
    ],
  }),
  def({
    code: 'social_insurance', name: '社保医保', group: '劳动保障', caseType: 'consult',
    description: '社保缴纳、医保报销、养老金等问题。', keywords: ['社保', '医保', '养老金', '公积金'],
  }),
  // 市场监管
  def({
    code: 'food_safety', name: '食品安全', group: '市场监管', caseType: 'report',
    description: '过期变质食品、无证经营、餐饮卫生问题。', keywords: ['食品', '过期', '变质', '餐馆卫生', '无证经营'],
  }),
  def({
    code: 'consumer_rights', name: '消费维权', group: '市场监管', caseType: 'complaint',
    description: '商家欺诈、预付卡退费、价格违法、商品质量问题。', keywords: ['消费', '退款', '预付卡', '欺诈', '价格'],
  }),
  // 公共安全
  def({
    code: 'safety_hazard', name: '安全隐患', group: '公共安全', caseType: 'report',
    description: '消防通道堵塞、电动车违规充电、危房、高空坠物隐患。', keywords: ['消防', '电动车充电', '危房', '高空坠物', '隐患'],
  }),
  // 教育卫生
  def({
    code: 'education', name: '教育服务', group: '教育卫生', caseType: 'consult',
    description: '学位申请、入学政策、校外培训。', keywords: ['学位', '入学', '学校', '培训机构'],
  }),
  def({
    code: 'healthcare', name: '医疗卫生', group: '教育卫生', caseType: 'complaint',
    description: '医院服务、医疗收费、公共卫生。', keywords: ['医院', '看病', '医疗', '疫苗'],
  }),
  // 政务服务
  def({
    code: 'government_service', name: '政务服务', group: '政务服务', caseType: 'consult',
    description: '办事指南、证件办理、政策咨询。', keywords: ['办证', '居住证', '户籍', '政策', '办事'],
  }),
  def({
    code: 'other', name: '其他', group: '其他', caseType: 'help',
    description: '以上分类之外的诉求。', keywords: ['其他'],
  }),
];

/** The category every unclassified or unknown case falls under. */
export const FALLBACK_CATEGORY = 'other';

const BY_CODE = new Map(CATEGORIES.map((c) => [c.code, c]));
const BY_NAME = new Map(CATEGORIES.map((c) => [c.name, c]));

/** The category with this code, or undefined. */
export const categoryByCode = (code: string): Category | undefined => BY_CODE.get(code);

/**
 * The category a stored `cases.category` value stands for: by code, then by Chinese name
 * (older cases and operators' free text); anything else is the fallback `other`.
 */
export function categoryOfCase(stored: string | null | undefined): Category {
  return (stored && (BY_CODE.get(stored) ?? BY_NAME.get(stored))) || BY_CODE.get(FALLBACK_CATEGORY)!;
}

/** Answers to a category's attributes: one value, or several for a multivaluelist. */
export type AttributeAnswers = Record<string, string | string[]>;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Checks answers against the category's attributes and returns them cleaned: required ones
 * present, list values among the keys, numbers numeric, datetimes ISO 8601, strings on one line.
 * Answers to codes the category does not ask are dropped (clients may send extras).
 * @throws bad_input `attribute[code]: message`
 */
export function validateAttributes(category: Category, answers: AttributeAnswers): AttributeAnswers {
  const out: AttributeAnswers = {};
  for (const a of category.attributes) {
    const field = `attribute[${a.code}]`;
    const raw = answers[a.code];
    const given = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map((v) => String(v).trim()).filter(Boolean);
    if (given.length === 0) {
      if (a.required) throw badInput(field, 'is required');
      continue;
    }
    if (a.datatype !== 'multivaluelist' && given.length > 1) throw badInput(field, 'takes one value');
    const keys = a.values?.map((v) => v.key) ?? [];
    for (const v of given) {
      if (v.length > 1000) throw badInput(field, 'must be at most 1000 characters');
      if ((a.datatype === 'singlevaluelist' || a.datatype === 'multivaluelist') && !keys.includes(v)) {
        throw badInput(field, `must be one of ${keys.join(', ')}`);
      }
      if (a.datatype === 'number' && !Number.isFinite(Number(v))) throw badInput(field, 'must be a number');
      if (a.datatype === 'datetime' && !(ISO_DATE.test(v) && !Number.isNaN(Date.parse(v)))) throw badInput(field, 'must be an ISO 8601 date');
      if (a.datatype === 'string' && /[\r\n]/.test(v)) throw badInput(field, 'must be one line');
    }
    out[a.code] = a.datatype === 'multivaluelist' ? [...new Set(given)] : given[0]!;
  }
  return out;
}

/**
 * The answers as readable lines (`噪音时段：夜间（22:00–次日6:00）`) in the attributes' order,
 * for the case text staff read. List keys become their names.
 */
export function describeAttributes(category: Category, answers: AttributeAnswers): string[] {
  return [...category.attributes]
    .sort((a, b) => a.order - b.order)
    .filter((a) => answers[a.code] !== undefined)
    .map((a) => {
      const values = ([] as string[]).concat(answers[a.code]!);
      const names = values.map((v) => a.values?.find((x) => x.key === v)?.name ?? v);
      return `${a.label}：${names.join('、')}`;
    });
}
