import { describe, expect, it } from 'vitest';
import { isValidLegalPersonId } from './identifiers.js';

describe('a legal person\'s national identifier (شناسه ملی)', () => {
  it('§welfare.legal-person.centres: accepts an identifier whose check digit is right, and no other digit in its place', () => {
    for (const id of ['10380284790', '14100079192', '14100158389', '14100237575']) {
      expect(isValidLegalPersonId(id), id).toBe(true);
      const others = [...'0123456789'].filter((d) => d !== id[10]).map((d) => id.slice(0, 10) + d);
      expect(others.filter(isValidLegalPersonId), id).toEqual([]);
    }
  });

  it('refuses what is not eleven digits, and an identifier whose serial part is all zeros', () => {
    for (const id of ['1038028479', '103802847901', '1038028479a', '', '10300000000']) expect(isValidLegalPersonId(id), id).toBe(false);
  });
});
