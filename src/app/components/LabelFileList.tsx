import type { LabelKind } from '../../core/labels/interpretLabels';
import { useStudioActions, useStudioState } from '../StudioContext';
import { revealDirectionControls } from '../../core/text/isolate';

const KIND_LABEL: Record<LabelKind, string> = { binary: 'binary mask', classes: 'classes', instances: 'instance map' };

/** Which image each label file of the import labels, how it was read, in words, with a choice of the other ways to read it. */
export function LabelFileList() {
  const labelFiles = useStudioState((s) => s.data.import.labelFiles);
  const { readLabelsAs } = useStudioActions();
  if (labelFiles.length === 0) return null;
  return (
    <ul className="drop-zone-label-files" aria-label="Label files read as">
      {labelFiles.map((file) => (
        <li key={file.path} data-path={file.path}>
          <bdi>{revealDirectionControls(file.path)}</bdi> labels <bdi data-image>{revealDirectionControls(file.image)}</bdi>: <span data-kind={file.kind}>{file.description}</span>{' '}
          <select aria-label={`Read ${file.path} as`} value={file.kind} onChange={(event) => void readLabelsAs(file.path, event.target.value as LabelKind)}>
            {file.kinds.map((kind) => <option key={kind} value={kind}>{`read as ${KIND_LABEL[kind]}`}</option>)}
          </select>
        </li>
      ))}
    </ul>
  );
}
