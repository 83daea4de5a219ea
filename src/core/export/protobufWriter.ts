/**
 * The few protobuf encodings an ONNX file needs (varint, 32-bit float, length-delimited), written
 * by hand: protobufjs's reflection compiles its encoders with `new Function`, which the built
 * page's Content-Security-Policy (no 'unsafe-eval') forbids, and we never decode.
 * Wire format: https://protobuf.dev/programming-guides/encoding/.
 */
import { strToU8 } from 'fflate'; // UTF-8 without TextEncoder, which the core's ES2022 lib lacks

const WIRE_VARINT = 0;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_FIXED32 = 5;

export class ProtobufWriter {
  private chunks: Uint8Array[] = [];
  private pending: number[] = [];
  private byteLength = 0;

  /** A non-negative integer (int32, int64, enum) as a varint; exact up to 2^53. */
  varintField(field: number, value: number): this {
    this.tag(field, WIRE_VARINT);
    this.varint(value);
    return this;
  }

  floatField(field: number, value: number): this {
    this.tag(field, WIRE_FIXED32);
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    this.pushBytes(bytes);
    return this;
  }

  stringField(field: number, value: string): this {
    return this.bytesField(field, strToU8(value));
  }

  bytesField(field: number, value: Uint8Array): this {
    this.tag(field, WIRE_LENGTH_DELIMITED);
    this.varint(value.byteLength);
    this.pushBytes(value);
    return this;
  }

  /** An embedded message: written by `write` into its own writer, then length-prefixed here. */
  messageField(field: number, write: (writer: ProtobufWriter) => void): this {
    const inner = new ProtobufWriter();
    write(inner);
    return this.bytesField(field, inner.finish());
  }

  finish(): Uint8Array {
    this.flushPending();
    const out = new Uint8Array(this.byteLength);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return out;
  }

  private tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  private varint(value: number): void {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(`Protobuf varint must be a whole number from 0 to 2^53 (got ${value}).`);
    }
    let rest = value;
    while (rest >= 0x80) {
      this.pending.push((rest % 0x80) | 0x80);
      rest = Math.floor(rest / 0x80);
    }
    this.pending.push(rest);
  }

  private pushBytes(bytes: Uint8Array): void {
    this.flushPending();
    this.chunks.push(bytes);
    this.byteLength += bytes.byteLength;
  }

  private flushPending(): void {
    if (this.pending.length === 0) return;
    this.chunks.push(Uint8Array.from(this.pending));
    this.byteLength += this.pending.length;
    this.pending = [];
  }
}
