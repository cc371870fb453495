/**
 * Every route the gateway serves, in the groups `createGateway` mounts behind different
 * middleware. The OpenAPI document is built from exactly these lists.
 */
import type { DescribedRoute } from '../openapi/route.js';
import { applicationRoutes, trackingRoutes } from './applications.js';
import { callbackRoutes } from './callbacks.js';
import { competitionRoutes } from './competitions.js';
import { licenceTypeRoutes } from './licence-types.js';
import { licenceRoutes } from './licences.js';
import { maintenanceRoutes } from './maintenance.js';
import { metaRoutes } from './meta.js';
import { codecRoutes } from './codec.js';
import { auditRoutes } from './audit.js';
import { licenceVerificationRoutes } from './licence-verification.js';
import { portalNotificationRoutes } from './portal-notifications.js';
import { officeRoutes } from './office.js';
import { taskRoutes } from './tasks.js';

/** Outside `/v1`: health, readiness, signing keys, the API description. */
export const gatewayRoutes: readonly DescribedRoute[] = metaRoutes;

/** Under `/v1`, verified by the registry's signature instead of a bearer token. */
export const registryRoutes: readonly DescribedRoute[] = callbackRoutes;

/** Under `/v1`, behind bearer-token authentication (public operations accept no token too). */
export const apiRoutes: readonly DescribedRoute[] = [
  ...licenceTypeRoutes, ...applicationRoutes, ...trackingRoutes, ...taskRoutes, ...officeRoutes, ...licenceRoutes,
  ...competitionRoutes, ...maintenanceRoutes,
  ...codecRoutes,
  ...portalNotificationRoutes,
  ...auditRoutes,
  ...licenceVerificationRoutes,
];

export const allRoutes: readonly DescribedRoute[] = [...apiRoutes, ...registryRoutes, ...gatewayRoutes];
