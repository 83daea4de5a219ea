import { describe, expect, it } from 'vitest';
import { ProtobufWriter } from './protobufWriter';

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');

/** The worked examples of the protobuf encoding guide (protobuf.dev/programming-guides/encoding). */
describe('ProtobufWriter', () => {
  it('writes the guide\'s varint, string and embedded-message examples byte for byte', () => {
    expect(hex(new ProtobufWriter().varintField(1, 150).finish())).toBe('08 96 01');
    expect(hex(new ProtobufWriter().stringField(2, 'testing').finish())).toBe('12 07 74 65 73 74 69 6e 67');
    expect(hex(new ProtobufWriter().messageField(3, (inner) => inner.varintField(1, 150)).finish())).toBe('1a 03 08 96 01');
  });

  it('writes floats little-endian, large varints exactly, and UTF-8 strings by their byte length', () => {
    expect(hex(new ProtobufWriter().floatField(2, 1).finish())).toBe('15 00 00 80 3f');
    expect(hex(new ProtobufWriter().varintField(1, 2 ** 35 + 1).finish())).toBe('08 81 80 80 80 80 01');
    expect(hex(new ProtobufWriter().stringField(1, 'µm').finish())).toBe('0a 03 c2 b5 6d');
  });

  it('refuses negative or fractional varints with a message naming the value', () => {
    expect(() => new ProtobufWriter().varintField(1, -1)).toThrow(/from 0 to 2\^53 \(got -1\)/);
    expect(() => new ProtobufWriter().varintField(1, 0.5)).toThrow(/got 0.5/);
  });
});
