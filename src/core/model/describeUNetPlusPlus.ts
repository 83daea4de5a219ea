import type { NetworkDescription } from './networkDescription';
import { NetworkDescriptionWriter } from './networkDescription';
import type { UNetConfig } from './unetConfig';
import { channelsAtLevel, hasDeepSupervision } from './unetConfig';

/**
 * UNet++ (Zhou et al., DLMIA 2018): node X(i,j) (layers `x{i}_{j}_conv{1,2}`) is two 3x3 convs on
 * the concatenation of X(i,0..j-1) with X(i+1,j-1) up-convolved (`x{i}_{j}_upconv`, 2x2 stride 2);
 * the backbone X(i,0) reads the pooled X(i-1,0). Heads `head{j}` (1x1) sit on X(0,j): every j with
 * deep supervision, else j = depth only.
 *
 * Nodes are written one diagonal at a time (X(i,0), then X(i-1,1) ... X(0,i)), as the reference
 * code does: the network for head L is exactly the first L + 1 diagonals, which is what pruning
 * keeps. Dropout follows X(depth-1,0) and X(depth,0), the U-Net's "end of the contracting path".
 */
export function describeUNetPlusPlus(config: UNetConfig): NetworkDescription {
  const net = new NetworkDescriptionWriter(config);
  const nodes: string[][] = []; // nodes[i][j] = X(i,j)
  const input = net.input();
  for (let i = 0; i <= config.depth; i++) {
    const below = i === 0 ? input : net.maxPool(nodes[i - 1]?.[0] as string, `x${i - 1}_0_pool`);
    let backbone = net.convBlock(below, channelsAtLevel(config, i), `x${i}_0`);
    if (i >= config.depth - 1) backbone = net.dropout(backbone, `x${i}_0_dropout`);
    nodes.push([backbone]);
    for (let j = 1; j <= i; j++) {
      const level = i - j;
      const row = nodes[level] as string[];
      const up = net.upconv(nodes[level + 1]?.[j - 1] as string, channelsAtLevel(config, level), `x${level}_${j}_upconv`);
      const joined = net.concat([...row, up], `x${level}_${j}_concat`);
      row.push(net.convBlock(joined, channelsAtLevel(config, level), `x${level}_${j}`));
    }
  }
  const top = nodes[0] as string[];
  const headColumns = hasDeepSupervision(config) ? Array.from({ length: config.depth }, (_, k) => k + 1) : [config.depth];
  for (const j of headColumns) net.head(top[j] as string, `head${j}`);
  return net.finish(`unetpp_d${config.depth}_c${config.baseChannels}${hasDeepSupervision(config) ? '_ds' : ''}`);
}
