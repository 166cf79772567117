// A folder the admin picked, packed in the browser into the .tgz the server takes: a plain ustar
// archive (files only, paths as the browser gives them, under the folder's own name) gzipped with
// the browser's CompressionStream. No library: the format is a 512-byte header per file.

const encoder = new TextEncoder();

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function header(path: string, size: number): Uint8Array<ArrayBuffer> {
  const block = new Uint8Array(512);
  const write = (offset: number, text: string, width: number) => block.set(encoder.encode(text).slice(0, width), offset);
  let name = path;
  let prefix = '';
  if (encoder.encode(path).length > 100) {
    // ustar: a long path is split at a slash into prefix (≤155 bytes) and name (≤100 bytes).
    const cut = path.lastIndexOf('/', path.length - 1);
    for (let i = cut; i > 0; i = path.lastIndexOf('/', i - 1)) {
      if (encoder.encode(path.slice(i + 1)).length <= 100 && encoder.encode(path.slice(0, i)).length <= 155) {
        prefix = path.slice(0, i);
        name = path.slice(i + 1);
        break;
      }
    }
    if (!prefix) throw new Error(`path too long for a template archive: ${path}`);
  }
  write(0, name, 100);
  write(100, '0000644\0', 8);
  write(108, '0000000\0', 8);
  write(116, '0000000\0', 8);
  write(124, octal(size, 12), 12);
  write(136, octal(0, 12), 12);
  write(148, '        ', 8);
  write(156, '0', 1);
  write(257, 'ustar\0', 6);
  write(263, '00', 2);
  write(345, prefix, 155);
  const sum = block.reduce((a, b) => a + b, 0);
  write(148, `${sum.toString(8).padStart(6, '0')}\0 `, 8);
  return block;
}

/** The files of a picked folder (their webkitRelativePath) as a gzipped tar archive. */
export async function packFolder(files: readonly File[]): Promise<Blob> {
  const parts: BlobPart[] = [];
  for (const file of [...files].sort((a, b) => a.webkitRelativePath.localeCompare(b.webkitRelativePath))) {
    const path = file.webkitRelativePath || file.name;
    const data = new Uint8Array(await file.arrayBuffer());
    parts.push(header(path, data.length), data);
    const pad = (512 - (data.length % 512)) % 512;
    if (pad) parts.push(new Uint8Array(pad));
  }
  parts.push(new Uint8Array(1024));
  const gzipped = new Blob(parts).stream().pipeThrough(new CompressionStream('gzip'));
  return new Response(gzipped).blob();
}
