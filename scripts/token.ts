/**
 * `npm run token -- --role county-office --county ahvaz`: mints a bearer token from the
 * development issuer, which only a development start (`npm start`) trusts.
 */
import { parseArgs } from 'node:util';
import { join, resolve } from 'node:path';
import { DEFAULT_MAX_TOKEN_AGE_SECONDS } from '../gateway/auth.js';
import { loadDevIssuer } from '../gateway/dev-issuer.js';
import { PROVINCES, provinceOf } from '../services/geography.js';

const roles = ['portal', 'county-office', 'province-office', 'national-office', 'integrator', 'exam-organiser'];
const counties = Object.values(PROVINCES).flatMap((p) => Object.keys(p.counties));
const usage = `usage: npm run token -- --role ROLE [options]

Mints a bearer token from the development issuer of \`npm start\` (its key is in
\${PARVANEH_DATA_DIR:-.data}/dev-issuer.jwk.json; no other deployment trusts it).

  --role ROLE          ${roles.join(' | ')}
  --county COUNTY      for county-office (required): ${counties.join(' | ')}
  --province PROVINCE  for province-office (required): ${Object.keys(PROVINCES).join(' | ')}
  --sub SUBJECT        the token's subject, recorded as the actor in the audit trail
                       (default: the role and its county or province, e.g. county-office:ahvaz)
  --expires DURATION   lifetime, as jose reads it: 30m, 8h, 1d (default 8h); at most the
                       gateway's maximum token age (24 h by default), longer is refused there
  -h, --help           this text

The token is an access token (typ at+jwt) with iat and exp.

example: npm run token -- --role province-office --province khuzestan --expires 1h
         npm run token -- --role exam-organiser`;

const fail = (message: string): never => {
  console.error(`${message}\n\n${usage}`);
  process.exit(2);
};

function parse() {
  try {
    return parseArgs({
      options: {
        role: { type: 'string' },
        county: { type: 'string' },
        province: { type: 'string' },
        sub: { type: 'string' },
        expires: { type: 'string', default: '8h' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    return fail((error as Error).message);
  }
}
const values = parse();
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const role = values.role && roles.includes(values.role) ? values.role : fail('--role is required, one of the roles below');
if (values.role === 'county-office' && (!values.county || !provinceOf(values.county))) fail('a county office needs --county with a known county');
if (values.role === 'province-office' && (!values.province || !Object.hasOwn(PROVINCES, values.province))) fail('a province office needs --province with a known province');
const duration = /^(\d+)\s?(s|sec|secs|second|seconds|m|min|mins|minute|minutes|h|hr|hrs|hour|hours|d|day|days|w|week|weeks)$/.exec(values.expires);
if (!duration) fail(`--expires ${values.expires} is not a duration such as 30m, 8h or 1d`);
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };
const lifetime = Number(duration![1]) * UNIT_SECONDS[duration![2]![0]!]!;
if (lifetime > DEFAULT_MAX_TOKEN_AGE_SECONDS) fail(`--expires ${values.expires} is longer than the ${DEFAULT_MAX_TOKEN_AGE_SECONDS / 3600} h the gateway accepts`);
const issuer = await loadDevIssuer(join(resolve(process.env.PARVANEH_DATA_DIR ?? '.data'), 'dev-issuer.jwk.json'));
console.log(await issuer.mint({ role, county: values.county, province: values.province, sub: values.sub, expiresIn: values.expires }));
