/** An office's own figures. */
import { officeFigures } from '../../services/office-figures.js';
import { describeRoute } from '../openapi/route.js';
import * as examples from '../schemas/examples.js';
import { OfficeFigures } from '../schemas/office.js';

export const officeRoutes = [
  describeRoute({
    method: 'get', path: '/v1/office/figures', operationId: 'getOfficeFigures', tags: ['office'],
    summary: 'Your office\'s figures: open and overdue tasks, the time each step takes, inquiries waiting', summaryFa: 'آمار دفتر',
    description: 'Over the applications of your territory (a county office its county, a province office its province, the national office the country), '
      + 'whichever office decides their tasks: the open tasks, overdue and escalated; per licence type and step, the open and overdue tasks and the decisions '
      + 'of the last 90 days with the median and 90th percentile of the hours from a task\'s opening to its decision; per registry, the inquiries still waiting '
      + 'for an answer, those past their deadline, and since when the oldest waits.',
    access: ['county-office', 'province-office', 'national-office'],
    responses: { 200: { description: 'The figures.', schema: OfficeFigures, example: examples.officeFigures } },
  }, async ({ ctx }) => ({ status: 200, body: await officeFigures({ ctx }) })),
];
