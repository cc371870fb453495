/**
 * Languages: Persian first (right to left, Persian digits, the Jalali calendar), English beside it.
 * The choice is kept in localStorage (a preference, not a secret). Formatters are made once per
 * language and reused: the inbox formats a thousand rows.
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

export type Lang = 'fa' | 'en';
export interface Text { fa: string; en: string }

const STORE = 'parvaneh-console-lang';

export function initialLang(): Lang {
  try {
    return localStorage.getItem(STORE) === 'en' ? 'en' : 'fa';
  } catch {
    return 'fa';
  }
}

/** Sets the document's language and direction, and keeps the choice. */
export function applyLang(lang: Lang): void {
  document.documentElement.lang = lang;
  document.documentElement.dir = lang === 'fa' ? 'rtl' : 'ltr';
  try {
    localStorage.setItem(STORE, lang);
  } catch {
    // storage refused (private mode): the choice lasts for this page only
  }
}

interface Formatters { number: Intl.NumberFormat; jalaliDate: Intl.DateTimeFormat; jalaliDateTime: Intl.DateTimeFormat; gregorian: Intl.DateTimeFormat }
const formatters: Record<Lang, Formatters> = {
  fa: {
    number: new Intl.NumberFormat('fa-IR'),
    jalaliDate: new Intl.DateTimeFormat('fa-IR-u-ca-persian', { dateStyle: 'medium', timeZone: 'Asia/Tehran' }),
    jalaliDateTime: new Intl.DateTimeFormat('fa-IR-u-ca-persian', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Tehran' }),
    gregorian: new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Tehran' }),
  },
  en: {
    number: new Intl.NumberFormat('en-GB'),
    jalaliDate: new Intl.DateTimeFormat('en-GB-u-ca-persian', { dateStyle: 'medium', timeZone: 'Asia/Tehran' }),
    jalaliDateTime: new Intl.DateTimeFormat('en-GB-u-ca-persian', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Tehran' }),
    gregorian: new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Tehran' }),
  },
};

const PERSIAN_DIGITS = '۰۱۲۳۴۵۶۷۸۹';

export interface I18n {
  lang: Lang;
  /** The text in the current language. */
  t: (text: Text) => string;
  /** A number with the language's digits. */
  n: (value: number) => string;
  /** Digits in a string (an id, a Jalali date from the API) in the language's digits. */
  digits: (value: string) => string;
  /** A date in the Jalali calendar. */
  jalali: (iso: string, withTime?: boolean) => string;
  /** The Gregorian date, for the hover title. */
  gregorian: (iso: string) => string;
}

export function i18nFor(lang: Lang): I18n {
  const f = formatters[lang];
  return {
    lang,
    t: (text) => text[lang],
    n: (value) => f.number.format(value),
    digits: (value) => (lang === 'fa' ? value.replace(/[0-9]/g, (d) => PERSIAN_DIGITS[Number(d)]!) : value),
    jalali: (iso, withTime = false) => (withTime ? f.jalaliDateTime : f.jalaliDate).format(new Date(iso)),
    gregorian: (iso) => f.gregorian.format(new Date(iso)),
  };
}

export const I18nContext = createContext<I18n>(i18nFor('fa'));
export const useI18n = () => useContext(I18nContext);

/** Counties and provinces of the fixture geography (services/geography.ts), for the office's name. */
export const PLACES: Record<string, Text> = {
  khuzestan: { fa: 'خوزستان', en: 'Khuzestan' },
  markazi: { fa: 'مرکزی', en: 'Markazi' },
  ahvaz: { fa: 'اهواز', en: 'Ahvaz' },
  dezful: { fa: 'دزفول', en: 'Dezful' },
  arak: { fa: 'اراک', en: 'Arak' },
};
export const place = (id: string | null | undefined): Text => (id ? PLACES[id] ?? { fa: id, en: id } : { fa: '', en: '' });

/** The states the API names (of licences, applications, inquiries and tasks), in words. */
export const STATES: Record<string, Text> = {
  active: { fa: 'معتبر', en: 'active' },
  expired: { fa: 'منقضی', en: 'expired' },
  suspended: { fa: 'تعلیق‌شده', en: 'suspended' },
  revoked: { fa: 'لغوشده', en: 'revoked' },
  closed: { fa: 'بسته', en: 'closed' },
  running: { fa: 'در جریان', en: 'running' },
  approved: { fa: 'پذیرفته', en: 'approved' },
  rejected: { fa: 'رد شده', en: 'rejected' },
  withdrawn: { fa: 'انصراف‌داده', en: 'withdrawn' },
  failed: { fa: 'متوقف به سبب خطای فرایند', en: 'failed (process fault)' },
  sent: { fa: 'ارسال شده', en: 'sent' },
  accepted: { fa: 'پذیرفته شده، در انتظار پاسخ', en: 'accepted, awaiting the answer' },
  answered: { fa: 'پاسخ داده شده', en: 'answered' },
  'timed-out': { fa: 'بی‌پاسخ در مهلت', en: 'timed out' },
  'late-answered': { fa: 'پاسخ دیرهنگام', en: 'answered late' },
  open: { fa: 'باز', en: 'open' },
  decided: { fa: 'تصمیم‌گرفته', en: 'decided' },
  cancelled: { fa: 'لغو شده', en: 'cancelled' },
  resolved: { fa: 'حل‌شده', en: 'resolved' },
};
/** A state in words, or as the API spells it when it is not one of ours. */
export const state = (id: string): Text => STATES[id] ?? { fa: id, en: id };

/** The interface's own words. */
export const M = {
  appName: { fa: 'پروانه: میز کار کارشناسان', en: 'Parvaneh: officers\' console' },
  skip: { fa: 'رفتن به محتوای اصلی', en: 'Skip to main content' },
  mainNav: { fa: 'بخش‌ها', en: 'Sections' },
  inbox: { fa: 'کارتابل', en: 'Inbox' },
  licences: { fa: 'پروانه‌ها', en: 'Licences' },
  calls: { fa: 'فراخوان‌ها', en: 'Calls' },
  figures: { fa: 'آمار اداره', en: 'Office figures' },
  signOut: { fa: 'خروج', en: 'Sign out' },
  signIn: { fa: 'ورود', en: 'Sign in' },
  signedOut: { fa: 'از میز کار خارج شدید.', en: 'You have signed out.' },
  language: { fa: 'زبان', en: 'Language' },
  otherLanguage: { fa: 'English', en: 'فارسی' },
  loading: { fa: 'در حال بارگذاری…', en: 'Loading…' },
  notVerified: {
    fa: 'امضای پاسخ سرور تأیید نشد؛ داده‌ها نمایش داده نمی‌شوند. دوباره تلاش کنید و اگر تکرار شد به پشتیبانی خبر دهید.',
    en: 'The server\'s response did not verify against its signing keys; its data is not shown. Try again, and tell support if it happens again.',
  },
  networkError: { fa: 'ارتباط با سرور برقرار نشد.', en: 'The server could not be reached.' },
  notFound: { fa: 'صفحه یافت نشد.', en: 'Page not found.' },
  open: { fa: 'باز', en: 'open' },
  overdue: { fa: 'گذشته از مهلت', en: 'overdue' },
  escalated: { fa: 'ارجاع به سطح بالاتر', en: 'escalated' },
  prioritised: { fa: 'دارای اولویت', en: 'prioritised' },
  today: { fa: 'مهلت امروز', en: 'due today' },
  week: { fa: 'مهلت این هفته', en: 'due this week' },
  all: { fa: 'همه', en: 'all' },
  licenceType: { fa: 'نوع پروانه', en: 'Licence type' },
  step: { fa: 'مرحله', en: 'Step' },
  due: { fa: 'مهلت', en: 'Due' },
  filter: { fa: 'اعمال فیلتر', en: 'Apply filters' },
  filters: { fa: 'فیلترها', en: 'Filters' },
  counts: { fa: 'شمار کارها', en: 'Task counts' },
  task: { fa: 'کار', en: 'Task' },
  applicant: { fa: 'متقاضی', en: 'Applicant' },
  state: { fa: 'وضعیت', en: 'State' },
  priority: { fa: 'اولویت', en: 'Priority' },
  noTasks: { fa: 'کاری در کارتابل نیست.', en: 'No tasks in the inbox.' },
  tasksShown: { fa: 'کار نمایش داده شد', en: 'tasks shown' },
  workingDaysLeft: { fa: 'روز کاری مانده', en: 'working days left' },
  workingDaysLate: { fa: 'روز کاری گذشته', en: 'working days late' },
  publicVerification: { fa: 'استعلام عمومی', en: 'Public verification' },
  verifyPublicly: { fa: 'استعلام کنید', en: 'Check as the public does' },
  publiclyValid: { fa: 'معتبر است', en: 'valid' },
  publiclyInvalid: { fa: 'معتبر نیست', en: 'not valid' },
  facts: { fa: 'اطلاعات درخواست', en: 'Application facts' },
  inquiries: { fa: 'استعلام‌ها', en: 'Inquiries' },
  registry: { fa: 'سامانه', en: 'Registry' },
  answer: { fa: 'پاسخ', en: 'Answer' },
  late: { fa: 'دیرکرد', en: 'late' },
  documents: { fa: 'مدارک', en: 'Documents' },
  view: { fa: 'مشاهده', en: 'View' },
  download: { fa: 'دریافت', en: 'Download' },
  close: { fa: 'بستن', en: 'Close' },
  decision: { fa: 'تصمیم', en: 'Decision' },
  outcome: { fa: 'نتیجه', en: 'Outcome' },
  reason: { fa: 'دلیل', en: 'Reason' },
  required: { fa: 'الزامی', en: 'required' },
  optional: { fa: 'اختیاری', en: 'optional' },
  send: { fa: 'ثبت تصمیم', en: 'Send the decision' },
  sending: { fa: 'در حال ارسال…', en: 'Sending…' },
  decided: { fa: 'تصمیم ثبت شد.', en: 'The decision was recorded.' },
  alreadyDecided: { fa: 'این کار پیش‌تر تصمیم گرفته شده است؛ تصمیم دوباره لازم نیست.', en: 'This task has already been decided; nothing more to do.' },
  chooseOutcome: { fa: 'یک نتیجه را انتخاب کنید.', en: 'Choose an outcome.' },
  taskClosed: { fa: 'این کار دیگر باز نیست.', en: 'This task is no longer open.' },
  application: { fa: 'پرونده', en: 'Application' },
  timeline: { fa: 'گردش کار', en: 'Timeline' },
  process: { fa: 'مراحل فرایند', en: 'Process steps' },
  passed: { fa: 'گذشته', en: 'passed' },
  current: { fa: 'مرحله جاری', en: 'current' },
  mermaid: { fa: 'متن نمودار (Mermaid)', en: 'Diagram source (Mermaid)' },
  trackingCode: { fa: 'کد رهگیری', en: 'Tracking code' },
  search: { fa: 'جستجو', en: 'Search' },
  number: { fa: 'شماره', en: 'Number' },
  holder: { fa: 'دارنده', en: 'Holder' },
  county: { fa: 'شهرستان', en: 'County' },
  validity: { fa: 'اعتبار', en: 'Validity' },
  validFrom: { fa: 'از', en: 'from' },
  validUntil: { fa: 'تا', en: 'until' },
  results: { fa: 'نتایج', en: 'Results' },
  noResults: { fa: 'موردی یافت نشد.', en: 'Nothing found.' },
  dependents: { fa: 'پروانه‌های وابسته', en: 'Dependent licences' },
  parent: { fa: 'پروانه اصلی', en: 'Parent licence' },
  supervision: { fa: 'نظارت‌ها', en: 'Supervision records' },
  changes: { fa: 'تغییرات قابل درخواست', en: 'Changes offered' },
  start: { fa: 'آغاز', en: 'Start' },
  started: { fa: 'درخواست آغاز شد:', en: 'Started:' },
  registrations: { fa: 'ثبت‌نام‌ها', en: 'Registrations' },
  ranking: { fa: 'رتبه‌بندی', en: 'Ranking' },
  university: { fa: 'دانشگاه', en: 'University' },
  examScore: { fa: 'نمره آزمون', en: 'Exam score' },
  total: { fa: 'امتیاز کل', en: 'Total' },
  rank: { fa: 'رتبه', en: 'Rank' },
  stage: { fa: 'مرحله فراخوان', en: 'Stage' },
  perStep: { fa: 'زمان هر مرحله', en: 'Time per step' },
  waitingPerRegistry: { fa: 'استعلام‌های در انتظار هر سامانه', en: 'Inquiries waiting per registry' },
  median: { fa: 'میانه (ساعت)', en: 'Median (hours)' },
  p90: { fa: 'صدک ۹۰ (ساعت)', en: '90th percentile (hours)' },
  decidedCount: { fa: 'تصمیم‌گرفته', en: 'decided' },
  waiting: { fa: 'در انتظار', en: 'waiting' },
  oldest: { fa: 'قدیمی‌ترین', en: 'oldest since' },
  generatedAt: { fa: 'زمان تهیه', en: 'Generated at' },
  inForce: { fa: 'معتبر', en: 'in force' },
  yes: { fa: 'بله', en: 'yes' },
  no: { fa: 'خیر', en: 'no' },
  personJson: { fa: 'شخص (JSON)', en: 'person (JSON)' },
  listJson: { fa: 'فهرست (JSON)', en: 'list (JSON)' },
  noRows: { fa: 'هنوز ردیفی افزوده نشده است', en: 'no rows yet' },
  addRow: { fa: 'افزودن ردیف', en: 'Add a row' },
  removeRow: { fa: 'حذف ردیف', en: 'Remove row' },
  badJson: { fa: 'JSON نامعتبر است', en: 'not valid JSON' },
  gregorianHover: { fa: 'تاریخ میلادی', en: 'Gregorian date' },
  county_office: { fa: 'اداره بهزیستی شهرستان', en: 'County welfare office of' },
  province_office: { fa: 'اداره کل بهزیستی استان', en: 'Provincial welfare office of' },
  national_office: { fa: 'سازمان بهزیستی کشور', en: 'State Welfare Organisation' },
} satisfies Record<string, Text>;
