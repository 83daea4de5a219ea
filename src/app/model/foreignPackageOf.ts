import { findRdfEntry, isStudioPackage, parseRdf } from '../../core/bioimageioImport/readForeignPackage';
import { baseName, isZipName, unzipEntries, type NamedBytes } from './modelZip';

/**
 * The chosen files as a third-party bioimage.io package (one zip holding rdf.yaml, or rdf.yaml chosen
 * with its files), or null: model files, or one of the studio's own packages (rdf.yaml with its
 * config.unet_studio), which import as studio models.
 */
export function foreignPackageOf(chosen: readonly NamedBytes[]): { readonly packageName: string; readonly files: NamedBytes[] } | null {
  const files = chosen.flatMap((file) => (isZipName(file.name) ? unzipEntries(file.bytes, baseName(file.name)) : [{ ...file, name: baseName(file.name) }]));
  const rdf = findRdfEntry(files);
  if (!rdf) return null;
  const packageName = chosen.length === 1 ? baseName((chosen[0] as NamedBytes).name) : rdf.name;
  if (isStudioPackage(parseRdf(rdf, packageName))) return null;
  return { packageName, files };
}
