import styled from 'styled-components';
import { Well } from '@zendeskgarden/react-notifications';

/**
 * The inline question a sidebar control asks before it acts (a dialog would not fit the iframe).
 * Garden's default Well padding is meant for page-wide panels, not a 320 px sidebar.
 */
export const Confirm = styled(Well)`
  padding: ${(p) => p.theme.space.md};
`;

export const ConfirmButtons = styled.div`
  display: flex;
  justify-content: flex-end;
  gap: ${(p) => p.theme.space.xs};
  margin-top: ${(p) => p.theme.space.sm};
`;
