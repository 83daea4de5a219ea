import type { UNetConfig } from './unetConfig';

/**
 * What one node of the network does. `conv3x3` is conv (+ batch norm when the config asks) + ReLU;
 * `upconv` the 2x2 stride-2 transposed conv; `crop` centre-crops to a size (valid padding's
 * skips); `head` the 1x1 conv to class logits, one per output.
 */
export type NodeOp = 'input' | 'conv3x3' | 'maxPool' | 'dropout' | 'upconv' | 'crop' | 'concat' | 'head';

/** One node: its tfjs layer name, what it does, which nodes it reads and the map it produces. */
export interface NetworkNode {
  readonly name: string;
  readonly op: NodeOp;
  readonly inputs: readonly string[];
  /** Side of the square output map for the config's tile size. */
  readonly sidePx: number;
  readonly channels: number;
}

/**
 * The whole network as data, in build order (which fixes the init seeds). The builder, the
 * parameter and FLOP counts, the memory estimates and the output geometry all read this one walk,
 * so they cannot disagree about the shape of either architecture.
 */
export interface NetworkDescription {
  readonly config: UNetConfig;
  /** tfjs model name. */
  readonly name: string;
  readonly nodes: readonly NetworkNode[];
  /** Names of the `head` nodes, in the model's output order. */
  readonly heads: readonly string[];
}

/** Writes nodes in build order, working out each map's side and channels from its inputs. */
export class NetworkDescriptionWriter {
  private readonly nodes: NetworkNode[] = [];
  private readonly byName = new Map<string, NetworkNode>();
  private readonly shrinkPx: number;

  constructor(private readonly config: UNetConfig) {
    this.shrinkPx = config.padding === 'valid' ? 2 : 0; // a valid 3x3 conv loses a pixel each side
  }

  input(): string {
    return this.add('image', 'input', [], this.config.tileSizePx, this.config.inputChannels);
  }

  /** Two 3x3 convs, `${name}_conv1` and `${name}_conv2`. */
  convBlock(input: string, channels: number, name: string): string {
    const first = this.add(`${name}_conv1`, 'conv3x3', [input], this.node(input).sidePx - this.shrinkPx, channels);
    return this.add(`${name}_conv2`, 'conv3x3', [first], this.node(first).sidePx - this.shrinkPx, channels);
  }

  maxPool(input: string, name: string): string {
    const x = this.node(input);
    return this.add(name, 'maxPool', [input], x.sidePx / 2, x.channels);
  }

  /** No node when the rate is 0, as the builder adds no layer then. */
  dropout(input: string, name: string): string {
    if (this.config.dropoutRate === 0) return input;
    const x = this.node(input);
    return this.add(name, 'dropout', [input], x.sidePx, x.channels);
  }

  upconv(input: string, channels: number, name: string): string {
    return this.add(name, 'upconv', [input], this.node(input).sidePx * 2, channels);
  }

  /** Centre-crops `input` to `target`'s size; no node when they already agree ("same" padding). */
  cropTo(input: string, target: string, name: string): string {
    const x = this.node(input);
    const sidePx = this.node(target).sidePx;
    return x.sidePx === sidePx ? input : this.add(name, 'crop', [input], sidePx, x.channels);
  }

  concat(inputs: readonly string[], name: string): string {
    const maps = inputs.map((input) => this.node(input));
    const sidePx = maps[0]?.sidePx ?? 0;
    if (maps.some((map) => map.sidePx !== sidePx)) throw new Error(`${name}: concatenated maps differ in size.`);
    return this.add(name, 'concat', inputs, sidePx, maps.reduce((sum, map) => sum + map.channels, 0));
  }

  head(input: string, name: string): string {
    return this.add(name, 'head', [input], this.node(input).sidePx, this.config.numClasses);
  }

  finish(name: string): NetworkDescription {
    return { config: this.config, name, nodes: [...this.nodes], heads: this.nodes.filter((n) => n.op === 'head').map((n) => n.name) };
  }

  node(name: string): NetworkNode {
    const found = this.byName.get(name);
    if (!found) throw new Error(`No node named ${name}.`);
    return found;
  }

  private add(name: string, op: NodeOp, inputs: readonly string[], sidePx: number, channels: number): string {
    if (this.byName.has(name)) throw new Error(`Two nodes named ${name}.`);
    const node = { name, op, inputs, sidePx, channels };
    this.nodes.push(node);
    this.byName.set(name, node);
    return name;
  }
}
