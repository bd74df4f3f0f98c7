import type { Branding } from '@live-assist/protocol';
import './brand-mark.css';

/** Company logo, or a monogram when the company has none. */
export function BrandMark({ branding }: { branding: Branding }) {
  return (
    <div className="brand-mark">
      {branding.logoUrl ? (
        <img className="brand-mark__logo" src={branding.logoUrl} alt={branding.companyName} />
      ) : (
        <>
          <span className="brand-mark__monogram" aria-hidden="true">
            {branding.companyName.trim().charAt(0).toUpperCase()}
          </span>
          <span className="brand-mark__name">{branding.companyName}</span>
        </>
      )}
    </div>
  );
}
