/** The licence types: the processes written in the DSL, their versions and diagrams. */
import { z } from 'zod';
import { toMermaid } from '../../dsl/diagram.js';
import { notFound } from '../../services/errors.js';
import { describeRoute } from '../openapi/route.js';
import * as examples from '../schemas/examples.js';
import { DiagramQuery, LicenceTypeDetail, LicenceTypeId, LicenceTypeList } from '../schemas/licence-types.js';

const licenceTypeNotFound = () => notFound({ fa: 'نوع پروانه یافت نشد', en: 'licence type not found' });

const TITLE = { fa: 'مرکز خدمات بهزیستی (مثبت زندگی)', en: 'Welfare Services Centre ("Mosbat-e Zendegi")' };

export const licenceTypeRoutes = [
  describeRoute({
    method: 'get', path: '/v1/licence-types', operationId: 'listLicenceTypes', tags: ['licence-types'],
    summary: 'The licence types and their definition versions', summaryFa: 'انواع پروانه',
    access: 'public',
    responses: {
      200: {
        description: 'Every licence type and lifecycle process.', schema: LicenceTypeList,
        example: { items: [{ id: 'welfare-services-centre', kind: 'application', title: TITLE, currentVersion: 1, versions: [1] }] },
      },
    },
  }, async ({ ctx }) => {
    const { catalogue } = ctx.deps;
    const now = (ctx.deps.now ?? Date.now)();
    return {
      status: 200,
      body: {
        items: catalogue.ids().map((id) => {
          const current = catalogue.current(id, now);
          const latest = catalogue.versions(id)[0]!;
          const shown = (current ?? latest).definition;
          return { id, kind: shown.kind, title: shown.title, currentVersion: current?.definition.version ?? null, versions: catalogue.versions(id).map((v) => v.definition.version) };
        }),
      },
    };
  }),

  describeRoute({
    method: 'get', path: '/v1/licence-types/{typeId}', operationId: 'getLicenceType', tags: ['licence-types'],
    summary: 'One licence type: every version with its catalogue entry and licences', summaryFa: 'جزئیات نوع پروانه',
    access: 'public',
    request: { params: LicenceTypeId },
    responses: {
      200: {
        description: 'The licence type.', schema: LicenceTypeDetail,
        example: {
          id: 'welfare-services-centre', currentVersion: 1,
          versions: [{
            version: 1, effectiveFrom: '1398/09/04', hash: examples.submittedApplication.definitionHash, title: TITLE,
            catalogue: { authority: { fa: 'سازمان بهزیستی کشور', en: 'State Welfare Organisation' }, daysToIssue: 35, validityMonths: 60 },
            licences: { 'activity-licence': { title: { fa: 'پروانه فعالیت', en: 'activity licence' }, validity: { months: 60 }, numberPrefix: 'WSC-AL' } },
          }],
        },
      },
    },
  }, async ({ ctx, params }) => {
    const { catalogue } = ctx.deps;
    const versions = catalogue.versions(params.typeId);
    if (versions.length === 0) throw licenceTypeNotFound();
    const current = catalogue.current(params.typeId, (ctx.deps.now ?? Date.now)());
    return {
      status: 200,
      body: {
        id: params.typeId,
        currentVersion: current?.definition.version ?? null,
        versions: versions.map((v) => ({
          version: v.definition.version, effectiveFrom: v.definition.effectiveFrom, hash: v.hash,
          title: v.definition.title, catalogue: v.definition.catalogue ?? null, licences: v.definition.licences,
        })),
      },
    };
  }),

  describeRoute({
    method: 'get', path: '/v1/licence-types/{typeId}/diagram', operationId: 'getLicenceTypeDiagram', tags: ['licence-types'],
    summary: 'The process as a Mermaid flowchart', summaryFa: 'نمودار فرایند',
    access: 'public',
    request: { params: LicenceTypeId, query: DiagramQuery },
    responses: { 200: { description: 'Mermaid source.', schema: z.string(), mediaType: 'text/vnd.mermaid', example: examples.MERMAID } },
  }, async ({ ctx, params, query }) => {
    const { catalogue } = ctx.deps;
    const versions = catalogue.versions(params.typeId);
    const chosen = query.version !== undefined
      ? versions.find((v) => v.definition.version === query.version)
      : catalogue.current(params.typeId, (ctx.deps.now ?? Date.now)()) ?? versions[0];
    if (!chosen) throw licenceTypeNotFound();
    return { status: 200, body: toMermaid(chosen.definition) };
  }),
];
