/**
 * The supervision checklist of a Welfare Services Centre as tests expect it: the standing rules of
 * Art. 8 of seed 002, item by item, written here rather than read from the service, so a test can
 * catch the service listing them differently.
 */
export const STANDING_RULE_ITEMS = [
  'welfare.standing.licence-displayed', 'welfare.standing.working-hours', 'welfare.standing.insurance',
  'welfare.standing.hygiene-safety', 'welfare.standing.staff-training', 'welfare.standing.signage',
] as const;

/** An inspection's checklist: every item passed but `failing`, which fails with `note`. */
export const standingRulesChecked = (failing?: string, note = 'seen on the visit') =>
  STANDING_RULE_ITEMS.map((item) => (item === failing ? { item, result: 'fail', note } : { item, result: 'pass' }));
