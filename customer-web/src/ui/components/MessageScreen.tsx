import type { ReactNode } from 'react';
import type { Branding } from '@live-assist/protocol';
import { BrandMark } from './BrandMark.js';
import { LanguageSwitcher } from './LanguageSwitcher.js';
import '../page.css';
import './message-screen.css';

type Props = {
  icon: ReactNode;
  tone?: 'neutral' | 'brand' | 'danger';
  title: string;
  children?: ReactNode;
  action?: ReactNode;
  /** The company, once the invite has loaded: its mark leads the header as on the journey screens. */
  branding?: Branding | null;
};

/**
 * Centered single-message layout used by the error, in-use and ended screens. Every one has the
 * same header as the journey screens: the company's mark when known, and the language switcher.
 */
export function MessageScreen({ icon, tone = 'neutral', title, children, action, branding }: Props) {
  return (
    <div className="page page--message">
      <header className="topbar">
        {branding && <BrandMark branding={branding} />}
        <LanguageSwitcher />
      </header>
      <main className="message">
        <div className={`message__icon message__icon--${tone}`}>{icon}</div>
        <h1 className="message__title">{title}</h1>
        {children}
        {action && <div className="message__action">{action}</div>}
      </main>
    </div>
  );
}
