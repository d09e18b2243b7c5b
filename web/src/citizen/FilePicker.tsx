/** Choosing photos or PDFs to attach: checked here for type and size so the citizen hears at once. */
import { useId } from 'react';
import { api } from '../api.ts';
import { useT } from '../i18n.tsx';

export const ACCEPT = 'image/jpeg,image/png,image/webp,image/heic,image/heif,application/pdf';
export const MAX_FILES = 9;
export const MAX_BYTES = 10 * 1024 * 1024;

export function FilePicker({ files, onChange }: { files: File[]; onChange: (f: File[]) => void }) {
  const t = useT();
  const id = useId();
  return (
    <div className="c-field">
      <label htmlFor={id}>{t('c.form.files')}</label>
      <input id={id} className="c-input" type="file" multiple accept={ACCEPT}
        onChange={(e) => onChange([...files, ...Array.from(e.target.files ?? [])].slice(0, MAX_FILES))} />
      <p className="c-hint">{t('c.form.filesHint', { n: MAX_FILES })}</p>
      {files.length > 0 && (
        <ul className="c-files">
          {files.map((f, i) => (
            <li key={`${f.name}-${i}`}>
              {f.name} ({Math.ceil(f.size / 1024)} KB){f.size > MAX_BYTES && <strong className="c-err-inline"> — {t('c.form.fileTooBig')}</strong>}{' '}
              <button type="button" className="c-lang" onClick={() => onChange(files.filter((_, j) => j !== i))}>{t('common.remove')}</button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Uploads one file to a case with the citizen's proof; returns the stored attachment. */
export async function uploadFile(trackingNo: string, proof: Record<string, string>, file: File) {
  const form = new FormData();
  for (const [k, v] of Object.entries(proof)) form.append(k, v);
  form.append('file', file, file.name);
  return api<{ id: string; filename: string }>(`/api/v1/track/${encodeURIComponent(trackingNo)}/attachments`, { method: 'POST', body: form });
}
