import styled from 'styled-components';
import { getColor } from '@zendeskgarden/react-theming';
import { Anchor } from '@zendeskgarden/react-buttons';
import { MD, SM } from '@zendeskgarden/react-typography';
import { LocationOutcome, type CustomerLocation } from '@live-assist/protocol';
import { useI18n } from '../i18n/i18n';

const Card = styled.section`
  display: flex;
  flex-direction: column;
  gap: ${(p) => p.theme.space.xxs};
`;

const Subtle = styled(SM)`
  color: ${(p) => getColor({ theme: p.theme, variable: 'foreground.subtle' })};
`;

/** OpenStreetMap needs no key and shows a marker at the point. */
export function mapUrl(latitude: number, longitude: number): string {
  const lat = latitude.toFixed(6);
  const lon = longitude.toFixed(6);
  return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=17/${lat}/${lon}`;
}

/** Where the customer is, if they shared it: coordinates, accuracy, time and a map link. */
export function LocationCard({ location }: { location: CustomerLocation | null }) {
  const { t, formatTime } = useI18n();
  if (!location) return null;
  return (
    <Card aria-label={t('location.title')} data-testid="customer-location" data-outcome={location.outcome}>
      <MD isBold tag="h2">
        {t('location.title')}
      </MD>
      {location.outcome === LocationOutcome.shared ? (
        <>
          <MD tag="p" data-testid="customer-coordinates">
            {location.latitude.toFixed(5)}, {location.longitude.toFixed(5)}
          </MD>
          <Subtle tag="p">{t('location.accuracy', { meters: Math.round(location.accuracy) })}</Subtle>
          <Subtle tag="p">{t('location.capturedAt', { time: formatTime(location.capturedAt) })}</Subtle>
          <Anchor href={mapUrl(location.latitude, location.longitude)} isExternal target="_blank" rel="noopener noreferrer">
            {t('location.openMap')}
          </Anchor>
        </>
      ) : (
        <Subtle tag="p">{t('location.notShared')}</Subtle>
      )}
    </Card>
  );
}
