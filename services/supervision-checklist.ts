/**
 * The standing rules a supervision checks, item by item, per licence kind: for a Welfare Services
 * Centre's activity licence, the rules of Art. 8 of seed 002 an inspector can see on a visit. Each
 * item is named by its rule id, so a failed item names the rule it breaks.
 */
import type { Text } from '../dsl/schema.js';

export interface ChecklistItem {
  /** The rule id, e.g. `welfare.standing.signage`. */
  id: string;
  /** Where the seed says it: `seed 002, Art. 8(10)`. */
  source: string;
  title: Text;
  /** A standing process that already follows the rule between visits, e.g. `centre-staff-insurance`. */
  followedBy?: string;
}

const WELFARE_CENTRE: readonly ChecklistItem[] = [
  {
    id: 'welfare.standing.licence-displayed', source: 'seed 002, Art. 8(2)',
    title: { fa: 'پروانه فعالیت مرکز در معرض دید مراجعین نصب شده است', en: 'the activity licence is displayed where clients see it' },
  },
  {
    id: 'welfare.standing.working-hours', source: 'seed 002, Art. 8(3) and Art. 15',
    title: {
      fa: 'ساعت کار مرکز مطابق ساعات کاری واحدهای اداری شهرستان است، یا تغییر آن (و کار خارج از ساعت اداری) را بهزیستی شهرستان تأیید کرده است',
      en: 'the centre keeps the county offices\' working hours, or the county office approved the change (and any hours outside office hours)',
    },
  },
  {
    id: 'welfare.standing.insurance', source: 'seed 002, Art. 8(6)', followedBy: 'centre-staff-insurance',
    title: {
      fa: 'همه کارکنان بر اساس قانون کار و تامین اجتماعی بیمه شده‌اند و مستندات فصلی به بهزیستی شهرستان ارائه شده است',
      en: 'every member of staff is insured under the labour and social-insurance laws, and the quarterly evidence was filed with the county',
    },
  },
  {
    id: 'welfare.standing.hygiene-safety', source: 'seed 002, Art. 8(8)',
    title: { fa: 'ضوابط بهداشت محیط و امور ایمنی در مرکز رعایت می‌شود', en: 'environmental-health rules and safety are kept in the centre' },
  },
  {
    id: 'welfare.standing.staff-training', source: 'seed 002, Art. 8(9)',
    title: {
      fa: 'کارکنان دوره‌های آموزشی مورد تأیید سازمان بهزیستی را از بدو شروع کار گذرانده‌اند',
      en: 'staff have taken the training courses the organisation approves since they started work',
    },
  },
  {
    id: 'welfare.standing.signage', source: 'seed 002, Art. 8(10)',
    title: { fa: 'تابلو و سربرگ مرکز مطابق الگوی ابلاغی سازمان بهزیستی است', en: 'the centre\'s signage and letterhead follow the organisation\'s model' },
  },
];

const CHECKLISTS: Record<string, readonly ChecklistItem[]> = {
  'welfare-services-centre/activity-licence': WELFARE_CENTRE,
};

/** The items a supervision of a licence of this type and kind checks; none for a kind without a checklist. */
export function checklistFor(licence: { licenceType: string; kind: string }): readonly ChecklistItem[] {
  return CHECKLISTS[`${licence.licenceType}/${licence.kind}`] ?? [];
}

/** Every item id of every checklist, for the API's description. */
export const CHECKLIST_ITEM_IDS = [...new Set(Object.values(CHECKLISTS).flatMap((items) => items.map((i) => i.id)))];
