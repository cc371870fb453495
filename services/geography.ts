/** The provinces and counties applications name (the sandbox's geography). */
export const PROVINCES: Record<string, { title: { fa: string; en: string }; counties: Record<string, { fa: string; en: string }> }> = {
  khuzestan: {
    title: { fa: 'خوزستان', en: 'Khuzestan' },
    counties: { ahvaz: { fa: 'اهواز', en: 'Ahvaz' }, dezful: { fa: 'دزفول', en: 'Dezful' } },
  },
  markazi: {
    title: { fa: 'مرکزی', en: 'Markazi' },
    counties: { arak: { fa: 'اراک', en: 'Arak' } },
  },
};

/** Every county's id, in the order of PROVINCES. */
export const COUNTY_IDS = Object.values(PROVINCES).flatMap((p) => Object.keys(p.counties)) as [string, ...string[]];

/**
 * The province a county belongs to, or undefined for an unknown county. Own keys only: `in` would
 * take `constructor`, `toString` or `__proto__` (Object.prototype's) for counties.
 */
export function provinceOf(county: string): string | undefined {
  return Object.entries(PROVINCES).find(([, p]) => Object.hasOwn(p.counties, county))?.[0];
}
