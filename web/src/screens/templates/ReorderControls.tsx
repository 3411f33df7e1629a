const MOVES = [
  { by: -1, dir: 'up', arrow: '↑', word: 'Up' },
  { by: 1, dir: 'down', arrow: '↓', word: 'Down' },
] as const;

/**
 * Move up, move down and remove for one item of an ordered list in the builder (a section, a
 * field or an option). The buttons carry ids `up-<uid>` / `down-<uid>` so the builder can put
 * focus back on them after a move. With `groupLabel` they form a labelled toolbar of full
 * buttons; without it, the compact arrow links used beside each option.
 */
export function ReorderControls({
  uid,
  noun,
  index,
  count,
  removeName,
  removeText = 'Remove',
  groupLabel,
  onMove,
  onRemove,
}: {
  uid: string;
  /** Lower-case name of the item in the buttons' accessible names: "section", "field", "option". */
  noun: string;
  index: number;
  count: number;
  /** Accessible name of the remove button. */
  removeName: string;
  removeText?: string;
  groupLabel?: string;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}) {
  const n = index + 1;
  const moveClass = groupLabel ? 'button secondary small' : 'button link';
  const buttons = (
    <>
      {MOVES.map(({ by, dir, arrow, word }) => (
        <button
          key={dir}
          type="button"
          className={moveClass}
          id={`${dir}-${uid}`}
          onClick={() => onMove(by)}
          disabled={by < 0 ? index === 0 : index === count - 1}
          aria-label={`Move ${noun} ${n} ${dir}`}
        >
          {groupLabel ? `${arrow} ${word}` : arrow}
        </button>
      ))}
      <button type="button" className="button link danger" onClick={onRemove} aria-label={removeName}>
        {removeText}
      </button>
    </>
  );
  return groupLabel ? (
    <div className="tb-toolbar" role="group" aria-label={groupLabel}>
      {buttons}
    </div>
  ) : (
    <div className="tb-option-actions">{buttons}</div>
  );
}
