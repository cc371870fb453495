/** The licence types: the processes written in the DSL, their versions and diagrams. */
import { z } from 'zod';
import { toMermaid } from '../../dsl/diagram.js';
import { processGraph } from '../../dsl/process-graph.js';
import type { ServiceDeps } from '../../services/context.js';
import { notFound } from '../../services/errors.js';
import { feeOf } from '../../services/fees.js';
import { describeRoute } from '../openapi/route.js';
import * as examples from '../schemas/examples.js';
import { DiagramQuery, LicenceTypeDetail, LicenceTypeId, LicenceTypeList, ProcessGraph } from '../schemas/licence-types.js';

const licenceTypeNotFound = () => notFound({ fa: 'نوع پروانه یافت نشد', en: 'licence type not found' });

/** The version asked for, else the one in effect today, else the newest; not found when there is none. */
function chosenDefinition(deps: Pick<ServiceDeps, 'catalogue' | 'now'>, typeId: string, version: number | undefined) {
  const versions = deps.catalogue.versions(typeId);
  const chosen = version !== undefined
    ? versions.find((v) => v.definition.version === version)
    : deps.catalogue.current(typeId, (deps.now ?? Date.now)()) ?? versions[0];
  if (!chosen) throw licenceTypeNotFound();
  return chosen.definition;
}

const TITLE = { fa: 'مرکز خدمات بهزیستی (مثبت زندگی)', en: 'Welfare Services Centre ("Mosbat-e Zendegi")' };
const FEE = {
  status: 'set' as const, amount: 322000, currency: 'IRR' as const, text: { fa: '۳۲۲٬۰۰۰ ریال', en: '322,000 rials' },
  basis: {
    fa: 'تعرفه صدور پروانه موضوع بند ۴ ماده ۲۶ قانون تنظیم بخشی از مقررات مالی دولت (مجتمع‌ها و مراکز خدمات بهزیستی شهری)',
    en: 'the licence tariff under Art. 26(4) of the Law on Regulating Part of Government Financial Regulations (urban welfare services centres)',
  },
};
const NO_FEE = { status: 'not-set' as const, amount: null, currency: null, basis: null, text: { fa: 'هزینه‌ای تعیین نشده است', en: 'no fee set' } };

export const licenceTypeRoutes = [
  describeRoute({
    method: 'get', path: '/v1/licence-types', operationId: 'listLicenceTypes', tags: ['licence-types'],
    summary: 'The licence types, their definition versions and fees', summaryFa: 'انواع پروانه و هزینه هر خدمت',
    description: 'Every service is listed with its fee, or says explicitly that no fee is set (seed 003, §5); the fees are the '
      + 'authority\'s tariff, `processes/tariffs/fees.yaml`.',
    access: 'public',
    responses: {
      200: {
        description: 'Every licence type and lifecycle process.', schema: LicenceTypeList,
        example: {
          items: [
            { id: 'centre-manager', kind: 'application', title: { fa: 'پروانه مسئول مرکز خدمات بهزیستی', en: 'Welfare Services Centre manager licence' }, currentVersion: 2, versions: [2, 1], fee: NO_FEE },
            { id: 'welfare-services-centre', kind: 'application', title: TITLE, currentVersion: 2, versions: [2, 1], fee: FEE },
          ],
        },
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
          return {
            id, kind: shown.kind, title: shown.title, currentVersion: current?.definition.version ?? null,
            versions: catalogue.versions(id).map((v) => v.definition.version), fee: feeOf(shown),
          };
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
          id: 'welfare-services-centre', currentVersion: 1, fee: FEE,
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
        fee: feeOf((current ?? versions[0]!).definition),
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
  }, async ({ ctx, params, query }) => ({ status: 200, body: toMermaid(chosenDefinition(ctx.deps, params.typeId, query.version)) })),

  describeRoute({
    method: 'get', path: '/v1/licence-types/{typeId}/graph', operationId: 'getLicenceTypeGraph', tags: ['licence-types'],
    summary: 'The process as a graph of steps to lay out and draw', summaryFa: 'گراف مراحل فرایند برای رسم',
    description: 'The same graph the Mermaid diagram draws (`getLicenceTypeDiagram`), as data: every step a node with its kind\'s '
      + 'shape, its title and detail in Persian and English, every edge with its label, a parallel step\'s branches meeting at a '
      + '`join` node. For a client that draws the process itself, e.g. the officers\' console, which highlights the steps an '
      + 'application passed and the one it is at (a Mermaid renderer cannot run under its content security policy).',
    access: 'public',
    request: { params: LicenceTypeId, query: DiagramQuery },
    responses: { 200: { description: 'The step graph of the version.', schema: ProcessGraph, example: examples.processGraph } },
  }, async ({ ctx, params, query }) => {
    const definition = chosenDefinition(ctx.deps, params.typeId, query.version);
    return { status: 200, body: { typeId: params.typeId, version: definition.version, ...processGraph(definition) } };
  }),
];
