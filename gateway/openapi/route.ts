/**
 * One source of truth for an operation: `describeRoute` takes the OpenAPI description (zod
 * schemas for parameters, body and responses, roles, examples) and the handler, and gives back
 * a route that `mountRoutes` registers on Hono and `buildOpenApiDocument` describes. A route
 * cannot be mounted without its description, and its requests and responses are checked
 * against the very schemas the document shows.
 *
 * Before the handler runs: the caller's role is checked against `access`, then path, query and
 * body are parsed (unknown fields, wrong types and malformed JSON become problem+json naming the
 * field). After it: the reply's status must be declared and its body must match its schema
 * (which also drops any field the schema does not name).
 *
 * @example
 * export const getLicenceRoute = describeRoute({
 *   method: 'get', path: '/v1/licences/{licenceNumber}', operationId: 'getLicence', tags: ['licences'],
 *   summary: 'One licence', access: ['portal', 'integrator'],
 *   request: { params: z.object({ licenceNumber: LicenceNumber }) },
 *   responses: { 200: { description: 'The licence', schema: Licence } },
 * }, async ({ ctx, params }) => ({ status: 200, body: await getLicence({ ctx, licenceNumber: params.licenceNumber }) }));
 */
import type { Context } from 'hono';
import { z } from 'zod';
import type { Actor, Role, ServiceContext } from '../../services/context.js';
import { DomainError } from '../../services/errors.js';
import type { GatewayEnv } from '../context.js';
import { parseJsonBytes } from '../json-body.js';
import { parseRequest, type FieldProblem } from './validate.js';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** The roles a bearer token can carry. */
export type TokenRole = Exclude<Role, 'registry' | 'public'>;

/**
 * Who may call: `'public'` (anyone; a token is optional), `'registry'` (a registry's signed
 * callback, no token), or the listed token roles.
 */
export type Access = 'public' | 'registry' | readonly TokenRole[];

/** Problem statuses an operation may answer besides the ones `describeRoute` infers. */
export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 429 | 503;

export interface ResponseSpec {
  description: string;
  /** The body; omitted for an empty body. */
  schema?: z.ZodType;
  /** Default `application/json`; anything else answers the (string) body as is. */
  mediaType?: string;
  /**
   * The body is bytes (`schema`: `BinaryBody`) of one of these media types, the one the reply's
   * `content-type` header names; documented as `type: string, format: binary`.
   */
  binary?: readonly [string, ...string[]];
  example?: unknown;
  /** Extra response headers, by name: documented under `components.headers`. */
  headers?: readonly string[];
}

/** The success statuses an operation may declare (errors are problem+json, described for it). */
export type SuccessStatus = 200 | 201 | 202 | 204;

export type Responses = { [S in SuccessStatus]?: ResponseSpec };

export interface BodySpec<B extends z.ZodType = z.ZodType> {
  schema: B;
  description?: string;
  /** A request that works as is against the sandbox; a function is called when the document is built. */
  example: z.input<B> | (() => z.input<B>);
  /** Largest accepted body in bytes; the gateway's limit when omitted. */
  maxBytes?: number;
  /** Checks the exact body bytes before they are parsed (a registry callback's signature). */
  verify?: (c: Context<GatewayEnv>, bytes: Uint8Array) => Promise<void>;
  /** Fields whose refusal has its own problem type (`applicant.nationalCode` → `national-code`). */
  problems?: Record<string, FieldProblem>;
}

/** A header parameter documented (and, when a schema is given, validated). */
export interface HeaderSpec {
  name: string;
  description: string;
  required: boolean;
  example?: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyObject = z.ZodObject<any>;

export interface RouteSpec<P extends AnyObject | undefined, Q extends AnyObject | undefined, B extends z.ZodType | undefined, R extends Responses> {
  method: Method;
  /** The OpenAPI path: `/v1/licences/{licenceNumber}`. */
  path: string;
  operationId: string;
  /** English summary; `summaryFa` is its Persian twin. */
  summary: string;
  summaryFa?: string;
  description?: string;
  tags: readonly [string, ...string[]];
  access: Access;
  request?: {
    params?: P;
    query?: Q;
    body?: BodySpec<NonNullable<B>>;
    headers?: readonly HeaderSpec[];
  };
  responses: R;
  /** Problem statuses beyond the inferred ones (400 with input, 401/403 with roles, 404 with path parameters). */
  problems?: readonly ProblemStatus[];
  /** The reason codes of the definition rules that may refuse the request as it stands (422), with an example refusal. */
  refusals?: Refusals;
  deprecated?: boolean;
  /**
   * `false`: a POST that takes no `Idempotency-Key` and whose answers are never stored for replay
   * (the codec server's: what it answers is personal data in clear, and it changes nothing).
   */
  idempotency?: false;
}

/** A 422 an operation may answer (`change-refused` unless `type` says otherwise): its reason codes and an example. */
export interface Refusals {
  reasons: readonly [string, ...string[]];
  example: { reason: string; title: string; title_fa: string; detail: string; field?: string };
  /** The problem type, e.g. `migration-refused`; default `change-refused`. */
  type?: string;
  /** What refuses the request, when not a change's rules. */
  description?: string;
}

type Out<S> = S extends z.ZodType ? z.output<S> : Record<string, never>;

/** What a handler answers: a declared status, its body (before its schema's transforms) and headers. */
export type Reply<R extends Responses> = {
  [K in keyof R & SuccessStatus]: {
    status: K;
    body: NonNullable<R[K]>['schema'] extends z.ZodType ? z.input<NonNullable<R[K]>['schema']> : undefined;
    headers?: Record<string, string>;
  };
}[keyof R & SuccessStatus];

export interface HandlerInput<P, Q, B> {
  c: Context<GatewayEnv>;
  ctx: ServiceContext;
  params: Out<P>;
  query: Out<Q>;
  body: Out<B>;
}

/** A route with its description: what `mountRoutes` and `buildOpenApiDocument` take. */
export interface DescribedRoute {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  spec: RouteSpec<AnyObject | undefined, AnyObject | undefined, z.ZodType | undefined, Responses> & { request?: { body?: BodySpec<any> } };
  run(c: Context<GatewayEnv>): Promise<Response>;
}

/** The body of a binary response: its bytes as they are (see `ResponseSpec.binary`). */
export const BinaryBody = z.instanceof(Uint8Array);

const PUBLIC: Actor = { subject: 'public', role: 'public' };

/** An operation without query parameters refuses any, as a body refuses unknown fields. */
const NO_QUERY = z.object({}).strict();

/** Checks the caller's role against the operation's access: 401 for the public where a token is needed, 403 for a role not allowed. */
export function authorise(actor: Actor, access: Access, operationId: string): void {
  if (access === 'public' || access === 'registry') return;
  if (actor.role === 'public') {
    throw new DomainError('unauthenticated', 'unauthenticated', { fa: 'احراز هویت نشد', en: 'not authenticated' }, `${operationId} needs a bearer token`);
  }
  if (!(access as readonly Role[]).includes(actor.role)) {
    throw new DomainError('forbidden', 'role-not-allowed', { fa: 'نقش شما اجازه این کار را ندارد', en: 'your role may not do this' },
      `${operationId} is for ${access.join(', ')}; your role is ${actor.role}`);
  }
}

/** Describes an operation and its handler in one place; see the file comment. */
export function describeRoute<
  P extends AnyObject | undefined = undefined,
  Q extends AnyObject | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  R extends Responses = Responses,
>(spec: RouteSpec<P, Q, B, R>, handler: (input: HandlerInput<P, Q, B>) => Promise<NoInfer<Reply<R>>>): DescribedRoute {
  const { request = {}, responses, operationId } = spec;
  const body = request.body as BodySpec | undefined;
  async function run(c: Context<GatewayEnv>): Promise<Response> {
    const actor = c.get('actor') ?? PUBLIC;
    authorise(actor, spec.access, operationId);
    // A signed body is verified before anything else is read from the request.
    const bytes = body ? new Uint8Array(await c.req.arrayBuffer()) : undefined;
    if (body?.verify) await body.verify(c, bytes!);
    const params = request.params ? parseRequest(request.params, c.req.param(), 'path') : {};
    const query = parseRequest(request.query ?? NO_QUERY, c.req.query(), 'query');
    const parsedBody = body ? parseRequest(body.schema, parseJsonBytes(c, bytes!), 'body', body.problems) : {};
    const reply = await handler({
      c, ctx: { deps: c.get('deps'), actor }, params: params as Out<P>, query: query as Out<Q>, body: parsedBody as Out<B>,
    }) as { status: number; body: unknown; headers?: Record<string, string> };
    const declared = responses[reply.status as SuccessStatus];
    if (!declared) throw new Error(`${operationId} answered ${reply.status}, which it does not declare`);
    if (!declared.schema) return c.body(null, reply.status as 204, reply.headers);
    if (declared.binary) {
      const type = reply.headers?.['content-type'];
      if (!(reply.body instanceof Uint8Array) || !type || !declared.binary.includes(type)) {
        throw new Error(`${operationId}: the ${reply.status} response is not bytes of ${declared.binary.join(', ')} (content-type ${String(type)})`);
      }
      return c.body(reply.body as Uint8Array<ArrayBuffer>, reply.status as 200, reply.headers);
    }
    const checked = declared.schema.safeParse(reply.body);
    if (!checked.success) {
      throw new Error(`${operationId}: the ${reply.status} response does not match its schema: ${checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    const mediaType = declared.mediaType ?? 'application/json';
    if (mediaType === 'application/json') return c.json(checked.data as object, reply.status as 200, reply.headers);
    return c.body(String(checked.data), reply.status as 200, { 'content-type': mediaType, ...reply.headers });
  }
  return { spec: spec as unknown as DescribedRoute['spec'], run };
}
