/**
 * What a county officer records at a Welfare Services Centre's site visit (version 3's `visited`
 * outcome) for premises, equipment and staff that comply with Art. 3 of seed 002: 300 household
 * files in 80 m², a 60 m² training hall outside, two social workers, a specialist and a clerk.
 * @example await decide(h, tokens.ahvaz, visit.id, 'visited', undefined, { ...compliantVisit, area: 60 });
 */
export const compliantVisit = {
  householdFiles: 300,
  area: 80,
  trainingSpace: 'outside',
  trainingSpaceArea: 60,
  accessible: true,
  locationConfirmed: true,
  equipment: [
    'office-furniture', 'notice-board', 'computer', 'printer-scanner-fax', 'local-network',
    'internet', 'landline', 'cctv', 'training-aids', 'heating-cooling-fire',
  ],
  socialWorkers: [{ field: 'social-work', level: 'bachelor' }, { field: 'social-services', level: 'master' }],
  otherFieldsAllowed: false,
  specialists: [{ field: 'psychology', level: 'master' }],
  clerks: [{ level: 'diploma', computerSkills: true }],
};
