import type { PixelDType } from '../../image/imageStack';
import { damaged, unsupported } from '../ioErrors';
import type { TiffIfd } from './readIfds';
import { Compression, Photometric, Tag, UNSUPPORTED_COMPRESSION_NAMES } from './tiffTags';

/** Everything needed to decode one page, checked. */
export interface TiffPage {
  readonly width: number;
  readonly height: number;
  readonly dtype: PixelDType;
  readonly bitsPerSample: number;
  readonly samplesPerPixel: number;
  /** Channels kept: 1 for grey and palette, 3 for RGB, 4 for RGB + alpha (see decodeTiff). */
  readonly channels: number;
  readonly compression: number;
  /** 1 none, 2 horizontal differencing, 3 floating point. */
  readonly predictor: number;
  /** false: samples interleaved (chunky); true: one plane per sample. */
  readonly planar: boolean;
  readonly tiled: boolean;
  /** Width and height of one strip or tile; strips span the page's width. */
  readonly segmentWidth: number;
  readonly segmentHeight: number;
  /** Strips or tiles the page is made of; `offsets` and `byteCounts` may list more. */
  readonly segmentCount: number;
  readonly offsets: readonly number[];
  /** null for uncompressed files that omit it: then each segment is exactly its pixels. */
  readonly byteCounts: readonly number[] | null;
  /** A thumbnail or pyramid level (NewSubfileType bit 0) or a transparency mask (bit 2). */
  readonly auxiliary: boolean;
}

const READABLE_COMPRESSIONS: ReadonlySet<number> = new Set(Object.values(Compression));

function dtypeOf(format: number, bits: number): PixelDType | null {
  if (format === 1 || format === 4) return bits === 1 || bits === 8 ? 'uint8' : bits === 16 ? 'uint16' : bits === 32 ? 'uint32' : null;
  if (format === 2) return bits === 8 ? 'int8' : bits === 16 ? 'int16' : bits === 32 ? 'int32' : null;
  if (format === 3) return bits === 32 ? 'float32' : bits === 64 ? 'float64' : null;
  return null;
}

const TAG_WORDS: Readonly<Record<number, string>> = {
  [Tag.ImageWidth]: 'width', [Tag.ImageLength]: 'height', [Tag.TileWidth]: 'tile width', [Tag.TileLength]: 'tile height',
};

const FORMAT_WORDS: Readonly<Record<number, string>> = { 1: 'unsigned integer', 2: 'signed integer', 3: 'floating-point', 4: 'untyped' };

/** Reads and checks one directory. `page` is 1-based, for messages. */
export function describePage(ifd: TiffIfd, page: number, fileName: string): TiffPage {
  const one = (tag: number, fallback?: number): number => {
    const value = ifd.get(tag)?.[0] ?? fallback;
    if (value === undefined) throw damaged(fileName, `page ${page} lacks its ${TAG_WORDS[tag] ?? 'tag'} (TIFF tag ${tag})`);
    return value;
  };
  const width = one(Tag.ImageWidth);
  const height = one(Tag.ImageLength);
  if (width < 1 || height < 1) throw damaged(fileName, `page ${page} claims to be ${width}x${height} pixels`);

  const compression = one(Tag.Compression, 1);
  if (!READABLE_COMPRESSIONS.has(compression)) {
    const name = UNSUPPORTED_COMPRESSION_NAMES[compression] ?? 'an unknown';
    throw unsupported(fileName, `uses ${name} compression (TIFF code ${compression}), which the studio cannot read; ` +
      'save it again uncompressed or with LZW, Deflate (ZIP) or PackBits compression (Fiji: File > Save As > Tiff...)');
  }

  const samplesPerPixel = one(Tag.SamplesPerPixel, 1);
  const bitsList = ifd.get(Tag.BitsPerSample) ?? [1];
  const bitsPerSample = bitsList[0] ?? 1;
  const format = one(Tag.SampleFormat, 1);
  if (bitsList.some((b) => b !== bitsPerSample) || (ifd.get(Tag.SampleFormat) ?? [format]).some((f) => f !== format)) {
    throw unsupported(fileName, `mixes sample sizes or types within a pixel on page ${page} (bits per sample ${bitsList.join(', ')})`);
  }
  const dtype = dtypeOf(format, bitsPerSample);
  if (dtype === null) {
    throw unsupported(fileName, `stores ${bitsPerSample}-bit ${FORMAT_WORDS[format] ?? `format-${format}`} samples, which the studio cannot read ` +
      '(it reads 8-, 16- and 32-bit integers, 32- and 64-bit floats, and 1-bit masks)');
  }
  if (one(Tag.FillOrder, 1) !== 1) throw unsupported(fileName, 'stores its bits in reversed order (FillOrder 2), which the studio cannot read');

  const photometric = one(Tag.Photometric, samplesPerPixel >= 3 ? Photometric.Rgb : Photometric.MinIsBlack);
  let channels: number;
  if (photometric === Photometric.Rgb) {
    if (samplesPerPixel < 3) throw damaged(fileName, `page ${page} says RGB but has ${samplesPerPixel} samples per pixel`);
    const alpha = ifd.get(Tag.ExtraSamples)?.[0];
    channels = samplesPerPixel >= 4 && (alpha === 1 || alpha === 2) ? 4 : 3;
  } else if (photometric === Photometric.MinIsBlack || photometric === Photometric.MinIsWhite || photometric === Photometric.Palette) {
    channels = 1;
  } else {
    const names: Record<number, string> = { 4: 'a transparency mask', 5: 'CMYK colour', 6: 'YCbCr colour', 8: 'CIE L*a*b* colour', 32844: 'LogL', 32845: 'LogLuv' };
    throw unsupported(fileName, `stores ${names[photometric] ?? `photometric type ${photometric}`} on page ${page}, which the studio cannot read; save it as greyscale or RGB`);
  }
  if (bitsPerSample === 1 && samplesPerPixel !== 1) throw unsupported(fileName, 'stores 1-bit colour, which the studio cannot read');

  // Predictors apply to LZW and Deflate only; libtiff ignores them elsewhere, and so do we.
  const predictor = compression === Compression.None || compression === Compression.PackBits ? 1 : one(Tag.Predictor, 1);
  if (predictor !== 1 && predictor !== 2 && predictor !== 3) throw unsupported(fileName, `uses predictor ${predictor}, which the studio cannot read`);
  if (predictor === 3 && format !== 3) throw damaged(fileName, `page ${page} uses the floating-point predictor on integer samples`);
  if (predictor === 2 && bitsPerSample === 1) throw unsupported(fileName, 'uses a predictor on 1-bit samples, which the studio cannot read');

  const tiled = ifd.has(Tag.TileWidth) || ifd.has(Tag.TileOffsets);
  const segmentWidth = tiled ? one(Tag.TileWidth) : width;
  const segmentHeight = tiled ? one(Tag.TileLength) : Math.min(one(Tag.RowsPerStrip, height), height);
  // Tiles far larger than the page only come from corrupt headers; refuse before allocating one.
  if (segmentWidth < 1 || segmentHeight < 1 || segmentWidth * segmentHeight > 4 * width * height + 65536) {
    throw damaged(fileName, `page ${page} (${width}x${height} pixels) has strips or tiles of ${segmentWidth}x${segmentHeight} pixels`);
  }
  const offsets = ifd.get(tiled ? Tag.TileOffsets : Tag.StripOffsets);
  if (!offsets) throw damaged(fileName, `page ${page} does not say where its pixels are`);
  const byteCounts = ifd.get(tiled ? Tag.TileByteCounts : Tag.StripByteCounts) ?? null;
  if (byteCounts === null && compression !== Compression.None) throw damaged(fileName, `page ${page} does not say how long its compressed pixel data are`);

  const planar = one(Tag.PlanarConfiguration, 1) === 2 && samplesPerPixel > 1;
  const segments = Math.ceil(height / segmentHeight) * Math.ceil(width / segmentWidth) * (planar ? samplesPerPixel : 1);
  if (offsets.length < segments || (byteCounts !== null && byteCounts.length < segments)) {
    throw damaged(fileName, `page ${page} lists ${offsets.length} blocks of pixels where it needs ${segments}`);
  }

  const subfileType = one(Tag.NewSubfileType, 0);
  return {
    width, height, dtype, bitsPerSample, samplesPerPixel, channels, compression,
    predictor, planar, tiled, segmentWidth, segmentHeight, segmentCount: segments, offsets, byteCounts,
    auxiliary: (subfileType & 0b101) !== 0,
  };
}
