import type { ReactNode } from 'react';

type Props = {
  icon: ReactNode;
  tone?: 'neutral' | 'brand' | 'danger';
  title: string;
  children?: ReactNode;
  action?: ReactNode;
  header?: ReactNode;
};

/** Centered single-message layout used by the loading, error, in-use and ended screens. */
export function MessageScreen({ icon, tone = 'neutral', title, children, action, header }: Props) {
  return (
    <div className="page page--message">
      {header && <header className="topbar">{header}</header>}
      <main className="message">
        <div className={`message__icon message__icon--${tone}`}>{icon}</div>
        <h1 className="message__title">{title}</h1>
        {children}
        {action && <div className="message__action">{action}</div>}
      </main>
    </div>
  );
}
