/**
 * `npm run token -- --role county-office --county ahvaz`: mints a bearer token from the
 * development issuer, which only a development start (`npm start`) trusts.
 */
import { parseArgs } from 'node:util';
import { join, resolve } from 'node:path';
import { loadDevIssuer } from '../gateway/dev-issuer.js';
import { PROVINCES, provinceOf } from '../services/geography.js';

const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    county: { type: 'string' },
    province: { type: 'string' },
    sub: { type: 'string' },
    expires: { type: 'string', default: '8h' },
  },
});
const roles = ['portal', 'county-office', 'province-office', 'national-office', 'integrator'];
const fail = (message: string): never => {
  console.error(`${message}\nusage: npm run token -- --role ${roles.join('|')} [--county ${Object.values(PROVINCES).flatMap((p) => Object.keys(p.counties)).join('|')}] [--province ${Object.keys(PROVINCES).join('|')}]`);
  process.exit(2);
};
if (!values.role || !roles.includes(values.role)) fail('--role is required');
if (values.role === 'county-office' && (!values.county || !provinceOf(values.county))) fail('a county office needs --county with a known county');
if (values.role === 'province-office' && (!values.province || !(values.province in PROVINCES))) fail('a province office needs --province with a known province');
const issuer = await loadDevIssuer(join(resolve(process.env.PARVANEH_DATA_DIR ?? '.data'), 'dev-issuer.jwk.json'));
console.log(await issuer.mint({ role: values.role!, county: values.county, province: values.province, sub: values.sub, expiresIn: values.expires }));
