import { useEffect, useRef, type ReactNode } from 'react';

/** The page's h1; it takes focus when the page opens so a screen reader announces the new page. */
export function PageHeader({
  title,
  children,
  focus = true,
}: {
  title: string;
  children?: ReactNode;
  focus?: boolean;
}) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Casebook`;
    if (focus) ref.current?.focus({ preventScroll: true });
  }, [title, focus]);
  return (
    <div className="page-header">
      <h1 tabIndex={-1} ref={ref}>
        {title}
      </h1>
      {children ? <div className="page-actions">{children}</div> : null}
    </div>
  );
}
