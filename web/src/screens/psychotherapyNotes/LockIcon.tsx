/** A padlock drawn inline (an emoji may be missing from the system fonts), marking private psychotherapy notes. */
export function LockIcon({ size = 16 }: { size?: number }) {
  return (
    <svg
      className="lock-icon"
      width={size}
      height={size}
      viewBox="0 0 16 16"
      aria-hidden="true"
      focusable="false"
    >
      <path
        fill="currentColor"
        d="M8 1a3.5 3.5 0 0 0-3.5 3.5V7H4a1 1 0 0 0-1 1v6a1 1 0 0 0 1 1h8a1 1 0 0 0 1-1V8a1 1 0 0 0-1-1h-.5V4.5A3.5 3.5 0 0 0 8 1Zm-2 3.5a2 2 0 1 1 4 0V7H6V4.5Zm2 5a1.25 1.25 0 0 1 .6 2.35V13h-1.2v-1.15A1.25 1.25 0 0 1 8 9.5Z"
      />
    </svg>
  );
}
