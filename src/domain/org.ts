/**
 * The org tree: administrative service centers (city → district → street → community → site)
 * and functional bureaus (bureau → branch → station). Pure data and tree helpers.
 */
export const UNIT_KINDS = ['city', 'district', 'street', 'community', 'site', 'bureau', 'branch', 'station'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

export const SITE_TYPES = ['estate', 'construction', 'park', 'cbd', 'school', 'hospital', 'market', 'other'] as const;
export type SiteType = (typeof SITE_TYPES)[number];

/** Which kinds may sit directly under which: one rule for the whole tree. */
export const CHILD_KINDS: Record<UnitKind, readonly UnitKind[]> = {
  city: ['district', 'bureau'],
  district: ['street'],
  street: ['community'],
  community: ['site'],
  site: [],
  bureau: ['branch', 'station'],
  branch: ['station'],
  station: [],
};

export interface Unit {
  code: string;
  name: string;
  kind: UnitKind;
  parentCode: string | null;
  siteType?: SiteType | null;
  /** Codes from the root down to and including this unit. */
  ancestors: string[];
}
