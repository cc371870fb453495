/** Planned maintenance (seed 003): the national office announces a window; anyone reads them. */
import { announceMaintenance, listMaintenance, MAINTENANCE_REFUSALS } from '../../services/maintenance.js';
import { describeRoute } from '../openapi/route.js';
import { MaintenanceAnnouncement, MaintenanceWindow, MaintenanceWindowList } from '../schemas/maintenance.js';

const example = {
  id: '5c2e8a14-7d3b-4f9a-b1c6-0e4d2a8f6b3c', state: 'announced' as const,
  startsAt: '2026-12-10T20:30:00.000Z', startsAtJalali: '1405/09/20 00:00', endsAt: '2026-12-11T00:30:00.000Z', endsAtJalali: '1405/09/20 04:00',
  services: ['all'],
  notice: { fa: 'به‌روزرسانی پایگاه داده؛ ثبت درخواست و پیگیری در این بازه در دسترس نیست.', en: 'Database upgrade: applications and tracking are unavailable meanwhile.' },
  announcedAt: '2026-12-01T09:00:00.000Z',
};

export const maintenanceRoutes = [
  describeRoute({
    method: 'get', path: '/v1/maintenance-windows', operationId: 'listMaintenanceWindows', tags: ['service-levels'],
    summary: 'Planned maintenance announced or in progress', summaryFa: 'اطلاعیه‌های نگهداری و قطع برنامه‌ریزی‌شده خدمت',
    description: 'Anyone may read, around the clock, when which services will be unavailable (seed 003, "دسترس پذیری"): the windows '
      + 'not yet ended, soonest first.',
    access: 'public',
    responses: { 200: { description: 'The windows.', schema: MaintenanceWindowList, example: { items: [example] } } },
  }, async ({ ctx }) => ({ status: 200, body: { items: await listMaintenance({ deps: ctx.deps }) } })),

  describeRoute({
    method: 'post', path: '/v1/maintenance-windows', operationId: 'announceMaintenanceWindow', tags: ['service-levels'],
    summary: 'Announce a planned maintenance window', summaryFa: 'اعلام دوره نگهداری برنامه‌ریزی‌شده',
    description: 'Maintenance that makes a service unavailable is announced to its users in advance (seed 003, "نگهداری و تغییرات خدمت"): '
      + 'at least 48 hours before it starts (an assumption the authority sets, `sla.maintenance.notice-period`). The national permits '
      + 'portal is told (`maintenance-announced`, subject `service-maintenance`) and the announcement is audited.',
    access: ['national-office'],
    request: { body: { schema: MaintenanceAnnouncement, example: () => ({ startsAt: example.startsAt, endsAt: example.endsAt, services: example.services, notice: example.notice }) } },
    responses: { 201: { description: 'Announced.', schema: MaintenanceWindow, example } },
    refusals: {
      type: 'maintenance-window-refused', reasons: MAINTENANCE_REFUSALS,
      example: {
        reason: 'MAINTENANCE_STARTS_IN_PAST', field: 'startsAt', detail: 'startsAt 2026-11-30T20:30:00.000Z is not after now',
        title: 'the maintenance window starts in the past', title_fa: 'شروع دوره نگهداری گذشته است',
      },
      description: 'The window as announced breaks a rule of seed 003: it starts in the past, ends before it starts, or is announced '
        + 'less than the notice period ahead; `field` names the field. Nothing was written.',
    },
  }, async ({ ctx, body }) => ({ status: 201, body: await announceMaintenance({ ctx, input: body }) })),
];
