import type { Icd10Item } from '../api/notesApi.js';
import './Icd10Search.css';

/**
 * The list of matching ICD-10-CM codes under a search box (see useIcd10Search). `classes` are
 * each caller's own class names, kept beside the shared icd-* ones.
 */
export function Icd10Listbox({
  id,
  items,
  active,
  hidden,
  optionId,
  onPick,
  classes,
}: {
  id: string;
  items: readonly Icd10Item[];
  active: number;
  hidden: boolean;
  optionId: (i: number) => string;
  onPick: (item: Icd10Item) => void;
  classes: { list: string; code: string; title?: string; hint: string };
}) {
  return (
    <ul
      id={id}
      role="listbox"
      aria-label="Matching ICD-10-CM codes"
      className={`${classes.list} icd-listbox`}
      hidden={hidden}
    >
      {items.map((item, i) => (
        <li
          key={item.code}
          id={optionId(i)}
          role="option"
          aria-selected={i === active}
          aria-disabled={item.billable ? undefined : true}
          className={`${i === active ? 'active' : ''}${item.billable ? '' : ' disabled'}`}
          // Keeps focus in the input so the pick happens before the blur closes the list.
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => onPick(item)}
        >
          <span className={`${classes.code} icd-code`}>{item.code}</span>{' '}
          <span className={classes.title}>{item.title}</span>
          {item.billable ? null : (
            <span className={`${classes.hint} icd-hint`}> — choose a complete code</span>
          )}
        </li>
      ))}
    </ul>
  );
}
