import { useMemo } from 'react';
import styled from 'styled-components';
import { qrMatrix, qrPath } from './qr';

const QUIET = 4;

// Scanners need dark modules on a light ground, so the code keeps white in dark mode too.
const Frame = styled.div`
  align-self: center;
  border-radius: ${(p) => p.theme.borderRadii.md};
  background: #fff;
  width: 176px;
  max-width: 100%;
  line-height: 0;
`;

/** The invite link as a QR code, for a customer on the phone with the agent. */
export function QrCode({ text, label }: { text: string; label: string }) {
  const { size, path } = useMemo(() => {
    const matrix = qrMatrix(text);
    return { size: matrix.length + 2 * QUIET, path: qrPath(matrix, QUIET) };
  }, [text]);
  return (
    <Frame>
      <svg role="img" aria-label={label} viewBox={`0 0 ${size} ${size}`} width="100%" shapeRendering="crispEdges" data-testid="invite-qr">
        <path d={path} fill="#000" />
      </svg>
    </Frame>
  );
}
