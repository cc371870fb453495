/** Documents on the wire: the upload (JSON with base64 content) and the stored metadata. */
import { z } from 'zod';
import { DOCUMENT_TYPES, MAX_DOCUMENT_BYTES, MEDIA_TYPES } from '../../services/documents.js';
import { lineOfText } from '../../services/free-text.js';
import { IsoDateTime } from '../openapi/common.js';
import { requestSchema, responseSchema } from '../openapi/registry.js';

export const DocumentType = z.enum(DOCUMENT_TYPES).describe('The kind of document (Art. 6 of the welfare centre instruction); `other` for anything else.');
export const DocumentMediaType = z.enum(MEDIA_TYPES);

/** Base64 of 5 MB, with padding: the longest `contentBase64` worth reading. */
const MAX_BASE64 = Math.ceil(MAX_DOCUMENT_BYTES / 3) * 4;

export const DocumentUpload = requestSchema('DocumentUpload', z.object({
  type: DocumentType,
  fileName: lineOfText().min(1).max(255).describe('The file name as the applicant gave it.'),
  mediaType: DocumentMediaType.describe('The content must really be of this type (its first bytes are checked).'),
  // The length is checked on the decoded bytes (`document-too-large`); the schema only states it.
  contentBase64: z.base64().meta({ maxLength: MAX_BASE64, description: `The file, base64 (RFC 4648, with padding); at most ${MAX_DOCUMENT_BYTES} bytes decoded.` }),
}).strict());

export const DocumentMetadata = responseSchema('DocumentMetadata', z.object({
  id: z.uuid(),
  applicationId: z.string().describe('The application it is attached to: a UUID, or a subprocess\'s `<parent>.<step>.<n>`.'),
  type: z.string(),
  fileName: z.string(),
  mediaType: z.string(),
  size: z.number().int().describe('Bytes, decoded.'),
  sha256: z.string().regex(/^[0-9a-f]{64}$/).describe('Hex sha256 of the decoded content.'),
  uploadedBy: z.string(),
  uploadedAt: IsoDateTime,
}));

