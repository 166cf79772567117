// Stored files: upload one for a `file` field (the raw bytes, streamed by the server; pending until
// the record is saved with its id), and the address a file downloads from.

import { postBinary, withQuery } from './client.ts';

/** What a `file` field holds per file (the server fills it in from the upload). */
export interface FileDescriptor {
  id: string;
  name: string;
  contentType: string;
  size: number;
}

export async function uploadFile(args: { entity: string; field: string; recordId?: string; file: File }): Promise<FileDescriptor> {
  const path = withQuery('/api/files', { entity: args.entity, field: args.field, recordId: args.recordId });
  const uploaded = await postBinary<FileDescriptor>(path, args.file, args.file.type || 'application/octet-stream', { 'x-file-name': encodeURIComponent(args.file.name) });
  // Only the descriptor goes back into the record (the server refuses anything else in it).
  return { id: uploaded.id, name: uploaded.name, contentType: uploaded.contentType, size: uploaded.size };
}

/** Where a file downloads from (same origin: the session cookie is the credential). */
export const fileUrl = (id: string): string => `/api/files/${encodeURIComponent(id)}`;
