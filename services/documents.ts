/**
 * Documents attached to an application (Art. 6 of the welfare centre instruction: birth
 * certificate, national ID card, photo, degree…): type and size checked, the content's kind
 * checked against its declared media type, hashed (sha256) and kept.
 */
import { and, asc, eq } from 'drizzle-orm';
import { createHash, randomUUID } from 'node:crypto';
import type { Database } from '../db/client.js';
import { applications, documents } from '../db/schema/index.js';
import { appendAudit } from '../domain/audit.js';
import { loadInScope } from './applications.js';
import { inScope, type ServiceContext } from './context.js';
import { conflict, forbidden, invalid, notFound } from './errors.js';
import { normaliseText } from './identifiers.js';

/** The document types the portal may attach (the language's: a task outcome may require them). */
import { DOCUMENT_TYPES, type DocumentType } from '../dsl/documents.js';
export { DOCUMENT_TYPES, type DocumentType };

export const MEDIA_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];

/** Largest document, decoded. */
export const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;

/** How each media type's content starts (its "magic number"). */
const SIGNATURES: Record<MediaType, number[]> = {
  'application/pdf': [0x25, 0x50, 0x44, 0x46, 0x2d], // %PDF-
  'image/jpeg': [0xff, 0xd8, 0xff],
  'image/png': [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
};

export interface DocumentUpload {
  type: DocumentType;
  fileName: string;
  mediaType: MediaType;
  contentBase64: string;
}

export interface DocumentMetadata {
  id: string;
  applicationId: string;
  type: string;
  fileName: string;
  mediaType: string;
  size: number;
  sha256: string;
  uploadedBy: string;
  uploadedAt: Date;
}

const metadata = {
  id: documents.id, applicationId: documents.applicationId, type: documents.type, fileName: documents.fileName,
  mediaType: documents.mediaType, size: documents.size, sha256: documents.sha256, uploadedBy: documents.uploadedBy,
  uploadedAt: documents.uploadedAt,
};

/** Attaches a document to a running application, through the national portal. */
export async function attachDocument({ ctx, applicationId, input }: { ctx: ServiceContext; applicationId: string; input: DocumentUpload }): Promise<DocumentMetadata> {
  const { actor, deps } = ctx;
  if (actor.role !== 'portal') throw forbidden('documents are attached through the national portal');
  const [application] = await deps.db.select().from(applications).where(eq(applications.id, applicationId));
  if (!application) throw notFound({ fa: 'درخواست یافت نشد', en: 'application not found' });
  if (!inScope(actor, application)) throw forbidden(`application ${applicationId} is outside your scope`);
  if (application.status !== 'running') {
    throw conflict('application-ended', { fa: 'درخواست پایان یافته است', en: 'the application has ended' }, `status is ${application.status}`);
  }
  const content = Buffer.from(input.contentBase64, 'base64');
  if (content.byteLength === 0) throw invalid('empty-document', 'contentBase64', { fa: 'سند خالی است', en: 'the document is empty' });
  if (content.byteLength > MAX_DOCUMENT_BYTES) {
    throw invalid('document-too-large', 'contentBase64', { fa: 'حجم سند بیش از ۵ مگابایت است', en: 'the document is larger than 5 MB' },
      `${content.byteLength} bytes decoded; at most ${MAX_DOCUMENT_BYTES}`);
  }
  const signature = SIGNATURES[input.mediaType];
  if (!signature.every((byte, i) => content[i] === byte)) {
    throw invalid('content-not-media-type', 'contentBase64', { fa: 'محتوای سند با نوع آن نمی‌خواند', en: 'the content is not of its media type' },
      `the content does not start like ${input.mediaType}`);
  }
  const row = {
    id: randomUUID(), applicationId, type: input.type, fileName: normaliseText(input.fileName), mediaType: input.mediaType,
    size: content.byteLength, sha256: createHash('sha256').update(content).digest('hex'), content, uploadedBy: actor.subject,
  };
  return deps.db.transaction(async (tx) => {
    const [stored] = await tx.insert(documents).values(row).returning(metadata);
    await appendAudit(tx as unknown as Database, {
      actor: actor.subject, action: 'document.attached', subjectType: 'application', subjectId: applicationId,
      detail: { documentId: row.id, type: row.type, mediaType: row.mediaType, size: row.size, sha256: row.sha256 },
    });
    return stored!;
  });
}

/** The documents of an application: metadata only, never the content. The caller has checked its scope. */
export async function listDocuments({ ctx, applicationId }: { ctx: ServiceContext; applicationId: string }): Promise<DocumentMetadata[]> {
  return ctx.deps.db.select(metadata).from(documents).where(eq(documents.applicationId, applicationId)).orderBy(asc(documents.uploadedAt));
}

/** A document's stored bytes, with what a download needs: its media type and a `content-disposition`. */
export interface DocumentContent {
  content: Uint8Array<ArrayBuffer>;
  mediaType: MediaType;
  contentDisposition: string;
}

/**
 * `attachment` with the stored file name, as RFC 6266 writes it: `filename*` in UTF-8 (RFC 5987's
 * percent-encoding, so a Persian name survives) and an ASCII `filename` for clients that know no other.
 * @example contentDisposition('مدرک.pdf') // attachment; filename="____.pdf"; filename*=UTF-8''%D9%85%D8%AF%D8%B1%DA%A9.pdf
 */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** A document of an application in the caller's scope (the same check as reading the application), as stored. */
export async function documentContent({ ctx, applicationId, documentId }: { ctx: ServiceContext; applicationId: string; documentId: string }): Promise<DocumentContent> {
  await loadInScope(ctx, applicationId);
  const [row] = await ctx.deps.db.select({ content: documents.content, mediaType: documents.mediaType, fileName: documents.fileName })
    .from(documents).where(and(eq(documents.id, documentId), eq(documents.applicationId, applicationId)));
  if (!row) throw notFound({ fa: 'سند یافت نشد', en: 'document not found' }, `application ${applicationId} has no document ${documentId}`);
  return { content: Uint8Array.from(row.content), mediaType: row.mediaType as MediaType, contentDisposition: contentDisposition(row.fileName) };
}
