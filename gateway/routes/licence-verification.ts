/** Public verification of a licence by its number and the verification code printed with it. */
import { z } from 'zod';
import { normaliseText } from '../../services/identifiers.js';
import { verifyLicence } from '../../services/licences.js';
import { describeRoute } from '../openapi/route.js';
import { LicenceNumberParam, LicenceVerification } from '../schemas/licences.js';

const Params = LicenceNumberParam.extend({
  // As typed: hexadecimal digits (Persian and Arabic-Indic digits accepted) and hyphens; normalised before it is compared.
  verificationCode: z.string().regex(/^[0-9A-Fa-f\u06F0-\u06F9\u0660-\u0669-]{1,40}$/, 'hexadecimal digits').transform(normaliseText)
    .meta({ description: 'The verification code printed with the number (and in the QR code): 12 hexadecimal digits.', examples: ['3FA94C0B7D21'] }),
});

const example = {
  number: 'WSC-AL-1405-000123', kind: 'activity-licence', title: { fa: 'پروانه فعالیت مرکز خدمات بهزیستی', en: 'Welfare services centre activity licence' },
  licenceType: { id: 'welfare-services-centre', title: { fa: 'مرکز خدمات بهزیستی', en: 'Welfare services centre' } },
  status: 'active' as const, valid: true, validFrom: '2026-12-01T09:00:00.000Z', validFromJalali: '1405/09/10', validUntil: '2031-12-01T09:00:00.000Z', validUntilJalali: '1410/09/10',
  holderName: 'ع*** ر***', county: { id: 'ahvaz', title: { fa: 'اهواز', en: 'Ahvaz' } }, checkedAt: '2026-12-01T10:00:00.000Z', checkedAtJalali: '1405/09/10 13:30',
};

export const licenceVerificationRoutes = [
  describeRoute({
    method: 'get', path: '/v1/licences/{licenceNumber}/verification/{verificationCode}', operationId: 'verifyLicenceWithCode', tags: ['licences'],
    summary: 'Public verification by number and verification code', summaryFa: 'استعلام اصالت پروانه با شماره و کد رهگیری اصالت',
    description: 'Anyone may ask, around the clock, with the number and the verification code printed on the licence (the QR code carries '
      + 'this URL). A positive answer is legally sufficient. No national code; the holder\'s name is masked. A wrong code is answered '
      + 'as an unknown number, so the sequential numbers alone do not list the register.',
    access: 'public',
    request: { params: Params },
    responses: { 200: { description: 'The licence as the public may see it.', schema: LicenceVerification, example } },
  }, async ({ ctx, params }) => ({ status: 200, body: await verifyLicence({ deps: ctx.deps, licenceNumber: params.licenceNumber, verificationCode: params.verificationCode }) })),
];
