import styled from 'styled-components';
import { getColor } from '@zendeskgarden/react-theming';
import { Spinner } from '@zendeskgarden/react-loaders';
import { MD, Paragraph } from '@zendeskgarden/react-typography';

const Centered = styled.div`
  display: flex;
  flex-direction: column;
  align-items: center;
  justify-content: center;
  gap: ${(p) => p.theme.space.sm};
  min-height: 120px;
  height: 100%;
  padding: ${(p) => p.theme.space.md};
  text-align: center;
`;

const Muted = styled(Paragraph)`
  color: ${(p) => getColor({ theme: p.theme, variable: 'foreground.subtle' })};
  max-width: 40em;
`;

export function LoadingScreen({ label }: { label: string }) {
  return (
    <Centered role="status" aria-live="polite">
      <Spinner size="32" aria-hidden="true" />
      <Muted>{label}</Muted>
    </Centered>
  );
}

/** A full-area message for states the app cannot work in (no helpdesk, signed out, …). */
export function MessageScreen({ title, body, children }: { title: string; body?: string; children?: React.ReactNode }) {
  return (
    <Centered>
      <MD isBold tag="h1">
        {title}
      </MD>
      {body ? <Muted>{body}</Muted> : null}
      {children}
    </Centered>
  );
}
