import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { CloseIcon } from './ChatIcons.js';

type Props = { url: string; alt: string; onClose(): void };

/** A photo at full size over everything; Escape or the close button returns to the chat. */
export function PhotoViewer({ url, alt, onClose }: Props) {
  const { t } = useTranslation();
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    closeRef.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      opener?.focus();
    };
  }, [onClose]);
  return (
    <div className="photo-viewer" role="dialog" aria-modal="true" aria-label={t('chat.photo')} onClick={onClose}>
      <img className="photo-viewer__img" src={url} alt={alt} onClick={(event) => event.stopPropagation()} />
      <button ref={closeRef} type="button" className="photo-viewer__close" aria-label={t('chat.closePhoto')} onClick={onClose}>
        <CloseIcon />
      </button>
    </div>
  );
}
