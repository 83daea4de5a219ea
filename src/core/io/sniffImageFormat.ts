export type ImageFormat = 'tiff' | 'png' | 'jpeg';

export type Sniffed =
  | { readonly format: ImageFormat; readonly truncated: boolean }
  /** A format we recognise but do not read, named for the message. */
  | { readonly format: 'other'; readonly name: string }
  | { readonly format: 'unknown' };

const SIGNATURES: readonly (readonly [ImageFormat, readonly number[]])[] = [
  ['tiff', [0x49, 0x49, 0x2a, 0x00]],
  ['tiff', [0x4d, 0x4d, 0x00, 0x2a]],
  ['tiff', [0x49, 0x49, 0x2b, 0x00]], // BigTIFF
  ['tiff', [0x4d, 0x4d, 0x00, 0x2b]],
  ['png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  ['jpeg', [0xff, 0xd8, 0xff]],
];

const ascii = (bytes: Uint8Array, at: number, text: string): boolean =>
  [...text].every((c, i) => bytes[at + i] === c.charCodeAt(0));

/** Formats people drop by mistake, so the error can say what the file is. */
const OTHERS: readonly (readonly [string, (b: Uint8Array) => boolean])[] = [
  ['GIF', (b) => ascii(b, 0, 'GIF8')],
  ['BMP', (b) => ascii(b, 0, 'BM')],
  ['WebP', (b) => ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBP')],
  ['JPEG 2000', (b) => b[0] === 0x00 && ascii(b, 4, 'jP')],
  ['Zeiss CZI', (b) => ascii(b, 0, 'ZISRAWFILE')],
  ['HDF5 (e.g. Imaris .ims or .h5)', (b) => ascii(b, 1, 'HDF')],
  ['ZIP archive', (b) => ascii(b, 0, 'PK\u0003\u0004')],
  ['NumPy .npy', (b) => b[0] === 0x93 && ascii(b, 1, 'NUMPY')],
  ['DICOM', (b) => ascii(b, 128, 'DICM')],
  ['PDF', (b) => ascii(b, 0, '%PDF')],
];

/** Recognises a file by its first bytes, not its name (files get renamed; extensions lie). */
export function sniffImageFormat(bytes: Uint8Array): Sniffed {
  for (const [format, signature] of SIGNATURES) {
    const n = Math.min(signature.length, bytes.length);
    if (n > 0 && signature.slice(0, n).every((v, i) => bytes[i] === v)) {
      if (n === signature.length) return { format, truncated: false };
      if (n >= 2) return { format, truncated: true };
    }
  }
  for (const [name, test] of OTHERS) if (test(bytes)) return { format: 'other', name };
  return { format: 'unknown' };
}
