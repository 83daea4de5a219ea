import { useId, useState, type FormEvent } from 'react';
import { PACKAGE_LICENSES } from '../../core/export/bioimageio/packageInfo';
import type { PackageForm } from '../model/createModelActions';

interface Props {
  readonly disabled: boolean;
  readonly onExport: (form: PackageForm) => void;
}

/** The few things a bioimage.io package needs from a person: name, description, authors, licence. */
export function BioimagePackageForm({ disabled, onExport }: Props) {
  const id = useId();
  const [form, setForm] = useState<PackageForm>({ name: '', description: '', authors: '', license: 'CC-BY-4.0' });
  const set = (field: keyof PackageForm) => (event: { target: { value: string } }) => setForm((f) => ({ ...f, [field]: event.target.value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onExport(form);
  };
  return (
    <form className="bioimage-form" aria-label="bioimage.io package" onSubmit={submit}>
      <label htmlFor={`${id}-name`}>Model name</label>
      <input id={`${id}-name`} value={form.name} onChange={set('name')} required minLength={5} maxLength={128} placeholder="Nuclei U-Net (DSB 2018)" />
      <label htmlFor={`${id}-description`}>Description</label>
      <textarea id={`${id}-description`} value={form.description} onChange={set('description')} required maxLength={1024} rows={2}
        placeholder="What it segments, in which images (modality, stain, scale)." />
      <label htmlFor={`${id}-authors`}>Authors, one a line (Name; affiliation)</label>
      <textarea id={`${id}-authors`} value={form.authors} onChange={set('authors')} required rows={2} placeholder="Ada Lovelace; Analytical Engine Lab" />
      <label htmlFor={`${id}-license`}>Licence</label>
      <select id={`${id}-license`} value={form.license} onChange={set('license')}>
        {PACKAGE_LICENSES.map((license) => <option key={license} value={license}>{license}</option>)}
      </select>
      <button type="submit" disabled={disabled}>Export bioimage.io package</button>
    </form>
  );
}
