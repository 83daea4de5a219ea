import { useState } from 'react';
import { revealDirectionControls } from '../../core/text/isolate';
import { useStudioActions, useStudioState } from '../StudioContext';

const OWN_IMAGE = '';

/**
 * Fixes what the names could not: any file of the import on screen can be marked as the labels of
 * one of its images (or, a file its name made a label file, as an image of its own). The files are
 * read again with every pairing made; the studio asks first when painted labels would go.
 */
export function PairByHand() {
  const pairing = useStudioState((s) => s.data.import.pairing);
  const { pairByHand } = useStudioActions();
  const files = [...pairing.images, ...pairing.labels];
  const [file, setFile] = useState('');
  const [image, setImage] = useState(OWN_IMAGE);
  if (files.length < 2) return null;
  const chosen = files.includes(file) ? file : (pairing.labels[0] ?? files.at(-1) ?? '');
  const targets = pairing.images.filter((path) => path !== chosen);
  const target = targets.includes(image) ? image : OWN_IMAGE;
  return (
    <details className="pair-by-hand" open={pairing.byHand.length > 0}>
      <summary>Pair by hand</summary>
      <form onSubmit={(event) => { event.preventDefault(); void pairByHand(chosen, target === OWN_IMAGE ? null : target); }}>
        <label>File <select aria-label="File to pair" value={chosen} onChange={(event) => setFile(event.target.value)}>
          {files.map((path) => <option key={path} value={path}>{revealDirectionControls(path)}</option>)}
        </select></label>
        <label>is <select aria-label="Pair it as" value={target} onChange={(event) => setImage(event.target.value)}>
          <option value={OWN_IMAGE}>an image of its own</option>
          {targets.map((path) => <option key={path} value={path}>{`the labels of ${revealDirectionControls(path)}`}</option>)}
        </select></label>
        <button type="submit">Pair and read again</button>
      </form>
      {pairing.byHand.length > 0 ? (
        <p className="hint">Paired by hand: {pairing.byHand.map(([label, of], i) => (
          <span key={label}>{i > 0 ? '; ' : ''}<bdi>{revealDirectionControls(label)}</bdi> {of === null ? 'as an image' : <>labels <bdi>{revealDirectionControls(of)}</bdi></>}</span>
        ))}.</p>
      ) : null}
    </details>
  );
}
