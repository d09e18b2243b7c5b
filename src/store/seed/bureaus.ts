/**
 * Functional bureaus of Shenzhen as seed data under the city '4403'. Codes are readable and can
 * never collide with national division codes (which are digits only): `4403-GA` for the bureau,
 * `4403-GA-440311` for its branch in a district, `4403-GA-440311-01` for a station of that branch.
 */
import type { SeedUnit } from '../../domain/org.ts';

const CITY = '4403';

const DISTRICTS: ReadonlyArray<readonly [code: string, name: string]> = [
  ['440303', '罗湖'], ['440304', '福田'], ['440305', '南山'], ['440306', '宝安'], ['440307', '龙岗'],
  ['440308', '盐田'], ['440309', '龙华'], ['440310', '坪山'], ['440311', '光明'],
];

const STATIONS: Readonly<Record<string, readonly string[]>> = {
  '440305': ['粤海派出所', '蛇口派出所', '南头派出所'],
  '440311': ['玉塘派出所', '公明派出所', '光明派出所'],
};

const OTHER_BUREAUS: ReadonlyArray<readonly [suffix: string, name: string]> = [
  ['SCJG', '深圳市市场监督管理局'],
  ['JT', '深圳市交通运输局'],
  ['RS', '深圳市人力资源和社会保障局'],
  ['GZW', '深圳市人民政府国有资产监督管理委员会'],
  ['ZJ', '深圳市住房和建设局'],
  ['SW', '深圳市水务局'],
  ['CG', '深圳市城市管理和综合执法局'],
  ['STHJ', '深圳市生态环境局'],
  ['JR', '深圳市地方金融管理局'],
  ['MZ', '深圳市民政局'],
];

function police(): SeedUnit[] {
  const bureau = `${CITY}-GA`;
  const rows: SeedUnit[] = [
    { code: bureau, name: '深圳市公安局', kind: 'bureau', parentCode: CITY },
    // Traffic police (交警) is city-wide, beside the district branches.
    { code: `${bureau}-JJ`, name: '深圳市公安局交通警察局', kind: 'branch', parentCode: bureau },
  ];
  for (const [district, name] of DISTRICTS) {
    const branch = `${bureau}-${district}`;
    rows.push({ code: branch, name: `${name}分局`, kind: 'branch', parentCode: bureau });
    (STATIONS[district] ?? []).forEach((station, i) => {
      rows.push({ code: `${branch}-${String(i + 1).padStart(2, '0')}`, name: station, kind: 'station', parentCode: branch });
    });
  }
  return rows;
}

/** The bureaus, their branches and stations, parents first. */
export const BUREAUS: SeedUnit[] = [
  ...police(),
  ...OTHER_BUREAUS.map(([suffix, name]): SeedUnit => ({ code: `${CITY}-${suffix}`, name, kind: 'bureau', parentCode: CITY })),
];
