/** The baseline and extension TIFF tags the decoder reads (TIFF 6.0, Adobe tech notes). */
export const Tag = {
  NewSubfileType: 254,
  ImageWidth: 256,
  ImageLength: 257,
  BitsPerSample: 258,
  Compression: 259,
  Photometric: 262,
  FillOrder: 266,
  ImageDescription: 270,
  StripOffsets: 273,
  SamplesPerPixel: 277,
  RowsPerStrip: 278,
  StripByteCounts: 279,
  PlanarConfiguration: 284,
  Predictor: 317,
  TileWidth: 322,
  TileLength: 323,
  TileOffsets: 324,
  TileByteCounts: 325,
  ExtraSamples: 338,
  SampleFormat: 339,
} as const;

/** Only these tags are kept when the directories are read: the rest (ICC profiles, ImageJ metadata) can be large. */
export const DECODER_TAGS: ReadonlySet<number> = new Set(
  [Tag.NewSubfileType, Tag.ImageWidth, Tag.ImageLength, Tag.BitsPerSample, Tag.Compression, Tag.Photometric,
    Tag.FillOrder, Tag.StripOffsets, Tag.SamplesPerPixel, Tag.RowsPerStrip, Tag.StripByteCounts,
    Tag.PlanarConfiguration, Tag.Predictor, Tag.TileWidth, Tag.TileLength, Tag.TileOffsets, Tag.TileByteCounts,
    Tag.ExtraSamples, Tag.SampleFormat],
);

export const Compression = { None: 1, Lzw: 5, AdobeDeflate: 8, PackBits: 32773, Deflate: 32946 } as const;

/** Names for the compressions we do not read, so the error can say which one the file uses. */
export const UNSUPPORTED_COMPRESSION_NAMES: Readonly<Record<number, string>> = {
  2: 'CCITT modified Huffman (fax)',
  3: 'CCITT Group 3 fax',
  4: 'CCITT Group 4 fax',
  6: 'old-style JPEG',
  7: 'JPEG',
  9: 'JBIG',
  10: 'JBIG',
  32809: 'ThunderScan',
  34661: 'JBIG',
  34676: 'SGI LogLuv',
  34677: 'SGI LogLuv',
  34712: 'JPEG 2000',
  34887: 'LERC',
  34892: 'lossy JPEG',
  34925: 'LZMA',
  50000: 'Zstandard',
  50001: 'WebP',
  50002: 'JPEG XL',
};

export const Photometric = { MinIsWhite: 0, MinIsBlack: 1, Rgb: 2, Palette: 3 } as const;
