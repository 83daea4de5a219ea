import { describeUNet } from './describeUNet';
import { describeUNetPlusPlus } from './describeUNetPlusPlus';
import type { NetworkDescription } from './networkDescription';
import type { UNetConfig } from './unetConfig';

/** The one description of the network a config asks for: every count, estimate and the builder read it. */
export function describeNetwork(config: UNetConfig): NetworkDescription {
  switch (config.architecture) {
    case 'unet':
      return describeUNet(config);
    case 'unetpp':
      return describeUNetPlusPlus(config);
  }
}
