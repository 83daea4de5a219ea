import type { NetworkDescription } from './networkDescription';
import { NetworkDescriptionWriter } from './networkDescription';
import type { UNetConfig } from './unetConfig';
import { channelsAtLevel } from './unetConfig';

/**
 * The U-Net of Ronneberger et al. (2015): `enc{l}_conv{1,2}`, `bottom_conv{1,2}`, `dec{l}_upconv`,
 * `dec{l}_conv{1,2}`, `head`. Dropout after the last contracting block (the skip sees it too) and
 * after the bottom block; valid padding centre-crops each skip to the up-conv's size.
 */
export function describeUNet(config: UNetConfig): NetworkDescription {
  const net = new NetworkDescriptionWriter(config);
  const skips: string[] = [];
  let x = net.input();
  for (let level = 0; level < config.depth; level++) {
    x = net.convBlock(x, channelsAtLevel(config, level), `enc${level}`);
    if (level === config.depth - 1) x = net.dropout(x, `enc${level}_dropout`);
    skips.push(x);
    x = net.maxPool(x, `enc${level}_pool`);
  }
  x = net.convBlock(x, channelsAtLevel(config, config.depth), 'bottom');
  x = net.dropout(x, 'bottom_dropout');
  for (let level = config.depth - 1; level >= 0; level--) {
    const up = net.upconv(x, channelsAtLevel(config, level), `dec${level}_upconv`);
    const skip = net.cropTo(skips[level] as string, up, `dec${level}_crop`);
    x = net.concat([skip, up], `dec${level}_concat`);
    x = net.convBlock(x, channelsAtLevel(config, level), `dec${level}`);
  }
  net.head(x, 'head');
  return net.finish(`unet_${config.padding}_d${config.depth}_c${config.baseChannels}`);
}
