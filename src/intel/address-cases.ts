/**
 * Address test sets: free texts as citizens write them, with the unit a person would pick
 * (`district/unit name`, or null when the text names no Shenzhen place). Written by hand for this
 * project. `ADDRESS_CASES` is the development set the resolver and gazetteer were built against
 * (address.test.ts holds it at 100 %); `ADDRESS_HOLDOUT` was written afterwards and is never used
 * to tune them, so its figure in `npm run bench -- intel` is the honest one.
 */
import { resolveAddress } from './address.ts';
import { loadShenzhenPlaces } from './segment.ts';

export type AddressCase = readonly [text: string, expected: string | null];

export const ADDRESS_CASES: readonly AddressCase[] = [
  ['光明区玉塘街道田寮社区', '光明区/田寮社区'],
  ['龙岗区南湾街道布沙路58号天桥下', '龙岗区/南湾街道'],
  ['福田区华强北', '福田区/华强北街道'],
  ['深圳市罗湖区桂园街道红岭社区红岭中路', '罗湖区/红岭社区'],
  ['广东省深圳市南山区粤海街道科技园社区', '南山区/科技园社区'],
  ['宝安区西乡街道', '宝安区/西乡街道'],
  ['我住在龙华区民治街道红山社区', '龙华区/红山社区'],
  ['坪山区坑梓街道', '坪山区/坑梓街道'],
  ['盐田区沙头角', '盐田区/沙头角街道'],
  ['南山区', '南山区/南山区'],
  ['福田区', '福田区/福田区'],
  ['龙岗区布吉街道', '龙岗区/布吉街道'],
  ['布吉街道某小区门口', '龙岗区/布吉街道'],
  ['宝安区沙井', '宝安区/沙井街道'],
  ['宝安区福永街道', '宝安区/福永街道'],
  ['龙华区观澜街道', '龙华区/观澜街道'],
  ['光明区公明街道', '光明区/公明街道'],
  ['罗湖区东门', '罗湖区/东门街道'],
  ['东门老街附近', '罗湖区/东门街道'],
  ['华强北赛格广场旁边', '福田区/华强北街道'],
  ['深圳北站出站口', '龙华区/民治街道'],
  ['大梅沙海滨公园', '盐田区/梅沙街道'],
  ['中英街', '盐田区/沙头角街道'],
  ['南山区华侨城', '南山区/沙河街道'],
  ['世界之窗地铁站', '南山区/沙河街道'],
  ['深圳大学南门', '南山区/粤海街道'],
  ['科技园南区', '南山区/粤海街道'],
  ['大鹏新区较场尾', '龙岗区/大鹏街道'],
  ['南澳西涌沙滩', '龙岗区/南澳街道'],
  ['罗湖口岸出口', '罗湖区/南湖街道'],
  ['龙岗区坂田街道华为基地', '龙岗区/坂田街道'],
  ['大运中心体育馆', '龙岗区/龙城街道'],
  ['宝安机场T3航站楼', '宝安区/深圳市宝安国际机场'],
  ['福田区福田街道岗厦社区', '福田区/岗厦社区'],
  ['福田街道皇岗社区', '福田区/皇岗社区'],
  ['罗湖区翠竹街道水贝社区', '罗湖区/水贝社区'],
  ['龙岗区南湾街道丹竹头社区', '龙岗区/丹竹头社区'],
  ['南湾街道沙湾社区', '龙岗区/沙湾社区'],
  ['宝安区新安街道布心社区', '宝安区/布心社区'],
  ['罗湖区东湖街道布心社区', '罗湖区/布心社区'],
  ['龙华区观湖街道岗头社区', '龙华区/岗头社区'],
  ['坂田街道岗头社区', '龙岗区/岗头社区'],
  ['福田区沙头街道上沙社区', '福田区/上沙社区'],
  ['南山区蛇口街道', '南山区/蛇口街道'],
  ['前海合作区', '南山区/前海合作区'],
  ['龙岗区横岗街道', '龙岗区/横岗街道'],
  ['横岗', '龙岗区/横岗街道'],
  ['光明区玉塘街道', '光明区/玉塘街道'],
  ['坪山区马峦街道', '坪山区/马峦街道'],
  ['龙华区大浪街道', '龙华区/大浪街道'],
  ['我在梧桐山脚下', '罗湖区/罗湖区'],
  ['小区楼下垃圾没人清理', null],
  ['北京市朝阳区', null],
  ['龙岗区', '龙岗区/龙岗区'],
  ['盐田区盐田街道', '盐田区/盐田街道'],
];

/** Written after the resolver: communities with and without their street, colloquial street names, landmarks, other cities. */
export const ADDRESS_HOLDOUT: readonly AddressCase[] = [
  ['福田街道水围社区村口的路灯坏了', '福田区/水围社区'],
  ['布吉龙珠社区', '龙岗区/龙珠社区'],
  ['宝安区福海街道新田社区工业园', '宝安区/新田社区'],
  ['西丽新围社区', '南山区/新围社区'],
  ['蛇口围仔社区菜市场', '南山区/围仔社区'],
  ['梅林翰岭社区', '福田区/翰岭社区'],
  ['沙井蚝一社区', '宝安区/蚝一社区'],
  ['民治华城社区', '龙华区/华城社区'],
  ['南山区南山街道南园社区', '南山区/南园社区'],
  ['笋岗梨园社区附近', '罗湖区/梨园社区'],
  ['深圳市福田区沙头街道沙尾社区', '福田区/沙尾社区'],
  ['东湖街道金鹏社区', '罗湖区/金鹏社区'],
  ['龙华富康社区', '龙华区/富康社区'],
  ['航城街道三围社区', '宝安区/三围社区'],
  ['盐田区海山街道海涛社区', '盐田区/海涛社区'],
  ['黄麻布社区', '宝安区/黄麻布社区'],
  ['福山社区', '福田区/福山社区'],
  ['金地社区', '福田区/金地社区'],
  ['沙二社区', '宝安区/沙二社区'],
  ['莲塘鹏兴社区', '罗湖区/鹏兴社区'],
  ['坪山六和社区', '坪山区/六和社区'],
  ['松岗这边', '宝安区/松岗街道'],
  ['在西乡街道上班', '宝安区/西乡街道'],
  ['清水河', '罗湖区/清水河街道'],
  ['观澜', '龙华区/观澜街道'],
  ['龙岗区平湖街道', '龙岗区/平湖街道'],
  ['光明区凤凰街道', '光明区/凤凰街道'],
  ['南山区桃源街道', '南山区/桃源街道'],
  ['坪山区碧岭', '坪山区/碧岭街道'],
  ['葵涌街道', '龙岗区/葵涌街道'],
  ['宝安区石岩', '宝安区/石岩街道'],
  ['深圳湾体育中心', '南山区/粤海街道'],
  ['莲花山公园', '福田区/莲花街道'],
  ['深圳北站西广场', '龙华区/民治街道'],
  ['福田口岸', '福田区/福田区'],
  ['大梅沙海边', '盐田区/梅沙街道'],
  ['华强北地铁站', '福田区/华强北街道'],
  ['东门町', '罗湖区/东门街道'],
  ['欢乐海岸', '南山区/沙河街道'],
  ['家门口的下水道堵了', null],
  ['广州市天河区珠江新城', null],
  ['东莞市长安镇', null],
  ['上海市浦东新区', null],
  ['深圳市龙岗区', '龙岗区/龙岗区'],
  ['龙岗街道', '龙岗区/龙岗街道'],
  ['光明街道', '光明区/光明街道'],
  ['南山区南山街道', '南山区/南山街道'],
];

/** Exact-unit accuracy of the resolver over a test set (a null expectation counts when nothing resolves). */
export function addressAccuracy(cases: readonly AddressCase[]): { total: number; correct: number; misses: string[] } {
  const byCode = new Map(loadShenzhenPlaces().map((r) => [r.code, r]));
  const label = (code: string): string => {
    let d = byCode.get(code)!;
    const name = d.name;
    while (d.kind !== 'district') d = byCode.get(d.parentCode!)!;
    return `${d.name}/${name}`;
  };
  const misses: string[] = [];
  for (const [text, expected] of cases) {
    const r = resolveAddress(text);
    const got = r ? label(r.unitCode) : null;
    if (got !== expected) misses.push(`${text}: ${got} ≠ ${expected}`);
  }
  return { total: cases.length, correct: cases.length - misses.length, misses };
}
