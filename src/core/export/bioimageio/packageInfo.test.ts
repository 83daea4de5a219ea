import { describe, expect, it } from 'vitest';
import { classChannelNames } from './bioimageioRdf';
import { assertPackageInfo, type PackageInfo } from './packageInfo';

const good: PackageInfo = { name: 'Nuclei U-Net', description: 'Segments nuclei.', authors: [{ name: 'Ada' }], license: 'MIT', validation: [] };

describe('assertPackageInfo', () => {
  it('accepts a complete form', () => expect(() => assertPackageInfo(good)).not.toThrow());

  it.each([
    [{ name: 'UNet' }, /model name must have 5 to 128 characters \(it has 4\)/],
    [{ description: '  ' }, /description must have 1 to 1024 characters/],
    [{ authors: [] }, /at least one author/],
    [{ authors: [{ name: 'Ada', orcid: '1234' }] }, /ORCID of Ada must look like 0000-0002-1825-0097 \(got "1234"\)/],
    [{ license: 'my own licence' }, /SPDX id such as CC-BY-4.0 or MIT \(got "my own licence"\)/],
    [{ validation: [{ name: 'IoU', value: Number.NaN }] }, /validation score IoU is not a number/],
  ] as const)('refuses %j naming the field', (change, message) => {
    expect(() => assertPackageInfo({ ...good, ...change } as PackageInfo)).toThrow(message);
  });
});

describe('classChannelNames', () => {
  it('turns class names into unique identifiers', () => {
    expect(classChannelNames(['background', 'cell membrane', 'Zellkern µ', '1st', 'cell-membrane', ''])).toEqual(
      ['background', 'cell_membrane', 'Zellkern', 'class3_1st', 'cell_membrane_4', 'class5'],
    );
  });
});
