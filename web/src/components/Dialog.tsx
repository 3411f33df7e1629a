import { useEffect, useId, useRef, type ReactNode } from 'react';

/**
 * A modal dialog on the native <dialog> element: the page behind is inert, focus stays
 * inside, Escape closes it, and focus returns to where it was.
 */
export function Dialog({
  open,
  title,
  onClose,
  children,
  role = 'dialog',
  className,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
  role?: 'dialog' | 'alertdialog';
  /** Extra class beside "dialog", e.g. for a wider dialog. */
  className?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    if (open && !el.open) {
      const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      el.showModal();
      const first = el.querySelector<HTMLElement>('[autofocus], input, select, textarea, button');
      first?.focus();
      return () => {
        if (el.open) el.close();
        previous?.focus();
      };
    }
    return undefined;
  }, [open]);
  if (!open) return null;
  return (
    <dialog
      ref={ref}
      className={className ? `dialog ${className}` : 'dialog'}
      role={role === 'alertdialog' ? 'alertdialog' : undefined}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  );
}
